export { type ChangeEvent, eventFromTag, tagsOf } from './change-event.js';
export { type RowChange, CHINOOK_TABLES, changeEventsOf } from './chinook-changes.js';
export { type InvalidationBus, type BusConnectionHandlers, type RedisBusOptions, BUS_HEARTBEAT_MS, BUS_LOSS_BOUND_MS, BUS_SILENCE_MS, createInProcessBus, createRedisBus } from './bus.js';
export { type CacheEntry, type ResponseCacheStore, remainingSeconds } from './cache-entry.js';
export { type LruStore, type LruStoreOptions, createLruStore } from './lru-store.js';
export { type RedisStoreOptions, createRedisStore } from './redis-store.js';
export { type ChangeFeed, createChangeFeed } from './change-feed.js';
export { type L2Coverage, COVERAGE_TTL_MS, createL2Coverage } from './l2-coverage.js';
