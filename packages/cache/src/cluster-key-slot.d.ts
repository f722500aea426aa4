/** Types of `cluster-key-slot` (1.1, which ships none): Redis Cluster's CRC16 slot of a key, hash tags respected. */
declare module 'cluster-key-slot' {
  /** The slot (0–16383) Redis Cluster assigns `key`: CRC16 of its hash tag (`{…}`) if it has one, else of the whole key. */
  export default function calculateSlot(key: string | Buffer): number;
}
