package com.ecom.mongoserver;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;
import java.util.List;

/**
 * A unique index that also serves queries naming more fields than its own.
 *
 * <p>The library uses an index only when the query names exactly the index's fields, so a conditional
 * update such as {@code {_id: X, stock: {$gte: 2}}} scanned every document of the collection, and
 * took longer with every document added. MongoDB looks such a query up by {@code _id} and tests the
 * rest on the one document found; this does the same: when the index can answer the query's condition
 * on its own field, it returns those positions, and the collection still tests each candidate against
 * the whole query. Top-level conditions are ANDed, so the candidates always include every match.
 */
final class KeyLookupIndex<P> extends Index<P> {
  private final Index<P> delegate;
  private final String key;

  KeyLookupIndex(Index<P> delegate, String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.delegate = delegate;
    this.key = keys.size() == 1 ? keys.get(0).getKey() : null;
  }

  /** The query's condition on this index's one field alone, when the index can answer it; else null. */
  private Document narrowed(Document query) {
    if (key == null || query.size() < 2 || !query.containsKey(key)) return null;
    Document own = new Document(key, query.get(key));
    return delegate.canHandle(own) ? own : null;
  }

  @Override
  public boolean canHandle(Document query) {
    return delegate.canHandle(query) || narrowed(query) != null;
  }

  @Override
  public Iterable<P> getPositions(Document query) {
    if (delegate.canHandle(query)) return delegate.getPositions(query);
    return delegate.getPositions(narrowed(query));
  }

  @Override
  public P getPosition(Document document) {
    return delegate.getPosition(document);
  }

  @Override
  public void checkAdd(Document document, MongoCollection<P> collection) {
    delegate.checkAdd(document, collection);
  }

  @Override
  public void add(Document document, P position, MongoCollection<P> collection) {
    delegate.add(document, position, collection);
  }

  @Override
  public P remove(Document document) {
    return delegate.remove(document);
  }

  @Override
  public long getCount() {
    return delegate.getCount();
  }

  @Override
  public boolean isEmpty() {
    return delegate.isEmpty();
  }

  @Override
  public long getDataSize() {
    return delegate.getDataSize();
  }

  @Override
  public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
    delegate.checkUpdate(oldDocument, newDocument, collection);
  }

  @Override
  public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection)
      throws KeyConstraintError {
    delegate.updateInPlace(oldDocument, newDocument, position, collection);
  }

  @Override
  public void drop() {
    delegate.drop();
  }

  @Override
  public boolean isUnique() {
    return delegate.isUnique();
  }
}
