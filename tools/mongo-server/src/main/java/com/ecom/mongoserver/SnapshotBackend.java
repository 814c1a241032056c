package com.ecom.mongoserver;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs one command at a time and answers with deep copies made before the next command starts.
 *
 * <p>The library answers with the stored documents themselves and encodes them after its
 * per-collection lock is released, so a findAndModify returning the new document could show the
 * effect of a later concurrent update (two reservations both reading stock 4). Copying under a
 * lock that every command takes makes each answer the state right after that command, as MongoDB
 * does. The cost is no parallelism inside the server, which a dev and test database does not need.
 */
final class SnapshotBackend implements MongoBackend {
  private final MongoBackend delegate;
  private final ReentrantLock lock = new ReentrantLock();

  SnapshotBackend(MongoBackend delegate) {
    this.delegate = delegate;
  }

  private <T> T exclusively(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  private static Document copy(Document document) {
    return document == null ? null : document.cloneDeeply();
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    return exclusively(() -> copy(delegate.handleCommand(channel, database, command, query)));
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    return exclusively(() -> copy(delegate.handleMessage(message)));
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    return exclusively(
        () -> {
          QueryResult result = delegate.handleQuery(query);
          List<Document> documents = result.collectDocuments().stream().map(SnapshotBackend::copy).toList();
          return new QueryResult(documents, result.getCursorId());
        });
  }

  @Override
  public void handleClose(Channel channel) {
    exclusively(
        () -> {
          delegate.handleClose(channel);
          return null;
        });
  }

  @Override
  public void dropDatabase(String database) {
    exclusively(
        () -> {
          delegate.dropDatabase(database);
          return null;
        });
  }

  @Override
  public Collection<Document> getCurrentOperations(MongoQuery query) {
    return delegate.getCurrentOperations(query);
  }

  @Override
  public Document getServerStatus() {
    return exclusively(() -> copy(delegate.getServerStatus()));
  }

  @Override
  public void close() {
    exclusively(
        () -> {
          delegate.close();
          return null;
        });
  }

  @Override
  public void closeCursors(List<Long> cursorIds) {
    exclusively(
        () -> {
          delegate.closeCursors(cursorIds);
          return null;
        });
  }

  @Override
  public Clock getClock() {
    return delegate.getClock();
  }

  @Override
  public void enableOplog() {
    delegate.enableOplog();
  }

  @Override
  public void disableOplog() {
    delegate.disableOplog();
  }

  @Override
  public MongoDatabase resolveDatabase(String database) {
    return delegate.resolveDatabase(database);
  }

  @Override
  public MongoBackend version(MongoVersion version) {
    delegate.version(version);
    return this;
  }
}
