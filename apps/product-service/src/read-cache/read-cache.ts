import type { Clock } from "@ecom/service-kit";

export type ReadCacheOptions = {
  /** How long a loaded value is served; 0 turns the cache off. */
  ttlMs: number;
  /** The most products kept at once, summed over entries (a list of 20 weighs 20): memory stays bounded. */
  maxWeight: number;
  clock: Clock;
};

type Entry = { value: unknown; weight: number; expiresAt: number };

/**
 * A TTL cache with a weight bound, least recently used out first, for reads whose loads are costly.
 *
 * Concurrent misses on one key share one load, so a burst on a cold key costs the store one query.
 * `clear` starts a new generation: a load that began before it may still answer its own callers but is
 * never stored, so no value read before a write is served after it. Each key is one read of one type
 * (callers prefix keys by what they read), which is what makes the typed `read` sound.
 */
export function createReadCache(options: ReadCacheOptions) {
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<unknown>>();
  let generation = 0;
  let totalWeight = 0;

  const evict = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    totalWeight -= entry.weight;
  };

  const store = (key: string, value: unknown, weight: number, expiresAt: number) => {
    if (weight > options.maxWeight) return;
    evict(key);
    entries.set(key, { value, weight, expiresAt });
    totalWeight += weight;
    // A Map iterates in insertion order, and a hit re-inserts its key: the first key is the least recent.
    for (const oldest of entries.keys()) {
      if (totalWeight <= options.maxWeight) break;
      evict(oldest);
    }
  };

  return {
    read<V>(key: string, load: () => Promise<V>, weigh: (value: V) => number): Promise<V> {
      if (options.ttlMs === 0) return load();
      const now = options.clock.now().getTime();
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now) {
        entries.delete(key);
        entries.set(key, entry);
        return Promise.resolve(entry.value as V);
      }
      if (entry) evict(key);
      const pending = loading.get(key);
      if (pending) return pending as Promise<V>;

      const startedIn = generation;
      // The TTL counts from the start of the load: the value is at most that old when it is dropped.
      const expiresAt = now + options.ttlMs;
      const promise = load().then(
        (value) => {
          if (loading.get(key) === promise) loading.delete(key);
          if (startedIn === generation) store(key, value, weigh(value), expiresAt);
          return value;
        },
        (error: unknown) => {
          if (loading.get(key) === promise) loading.delete(key);
          throw error;
        },
      );
      loading.set(key, promise);
      return promise;
    },

    /** Forgets every value and every load in flight. */
    clear() {
      generation += 1;
      entries.clear();
      loading.clear();
      totalWeight = 0;
    },

    get size() {
      return { entries: entries.size, weight: totalWeight };
    },
  };
}

export type ReadCache = ReturnType<typeof createReadCache>;
