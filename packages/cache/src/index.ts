export { type ChangeEvent, eventFromTag, tagsOf } from './change-event.js';
export { type ChangeMap, type RowChange, type TableChangeSource, createChangeMap } from './change-map.js';
export { type InvalidationBus, type BusConnectionHandlers, type RedisBusOptions, BUS_HEARTBEAT_MS, BUS_LOSS_BOUND_MS, BUS_SILENCE_MS, createInProcessBus, createRedisBus } from './bus.js';
export { type CacheEntry, type ResponseCacheStore, remainingSeconds } from './cache-entry.js';
export { type LruStore, type LruStoreOptions, createLruStore } from './lru-store.js';
export { type RedisStoreOptions, createRedisStore } from './redis-store.js';
export { type ChangeFeed, createChangeFeed } from './change-feed.js';
