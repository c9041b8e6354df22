import type { DeviceType } from '../../db/analytics.schema';
import type { Random } from './random';

/** A demo visitor: returning visits keep the same device, place and address. */
export interface Visitor {
  id: string;
  visits: number;
  country: string;
  device: DeviceType;
  browser: string;
  os: string;
  ip: string;
  /** `config_resolution`. */
  resolution: string;
  /** `location_browser_lang`. */
  language: string;
  city: string | null;
  region: string | null;
  /** The visitor's own timezone, for the local time of each visit. */
  timezone: string;
  /**
   * When the visitor's first and latest visits started (epoch ms), set once a visit has actions;
   * one object shared by every copy of the visitor in the pool, so an older copy knows the latest.
   */
  starts?: { first: number; last: number };
}

/**
 * The most recent visitors of a site, for returning visits. Bounded (a ring buffer), so memory
 * stays flat however many visits are generated; recent visitors come back more often.
 */
export class VisitorPool {
  readonly #visitors: Visitor[] = [];
  readonly #capacity: number;
  #next = 0;

  constructor(capacity = 20_000) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#visitors.length;
  }

  add(visitor: Visitor): void {
    if (this.#visitors.length < this.#capacity) this.#visitors.push(visitor);
    else this.#visitors[this.#next] = visitor;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** A past visitor, biased towards recent ones; undefined while the pool is empty. */
  pick(random: Random): Visitor | undefined {
    const size = this.#visitors.length;
    if (size === 0) return undefined;
    const age = Math.floor(size * random.next() ** 2);
    return this.#visitors[(this.#next - 1 - age + size * 2) % size];
  }
}
