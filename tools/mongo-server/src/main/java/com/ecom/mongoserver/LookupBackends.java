package com.ecom.mongoserver;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import java.util.List;

/** The library's memory and H2 backends with every unique index wrapped in a {@link KeyLookupIndex}. */
final class LookupBackends {
  private LookupBackends() {}

  static MemoryBackend memory() {
    return new MemoryBackend() {
      @Override
      public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new MemoryDatabase(databaseName, getCursorRegistry()) {
          @Override
          protected Index<Integer> openOrCreateUniqueIndex(
              String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            Index<Integer> index = super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
            return new KeyLookupIndex<>(index, indexName, keys, sparse);
          }
        };
      }
    };
  }

  static H2Backend h2(String file) {
    return new H2Backend(file) {
      @Override
      protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new H2Database(databaseName, getMvStore(), getCursorRegistry()) {
          @Override
          protected Index<Object> openOrCreateUniqueIndex(
              String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            Index<Object> index = super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
            return new KeyLookupIndex<>(index, indexName, keys, sparse);
          }
        };
      }
    };
  }
}
