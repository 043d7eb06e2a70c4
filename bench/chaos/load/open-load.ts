import { randomBytes } from "node:crypto";
import { orderLinesGenerator } from "../../src/scenarios/orders.ts";
import { type OrderClientOptions, type RequestRecord, sendOrder } from "./order-client.ts";

const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 Analytical Street",
  city: "London",
  postal_code: "N1 9GU",
  country_code: "GB",
};

/**
 * An open-loop order load: requests arrive at `rate` per second whether or not earlier ones have
 * been answered (as users do), up to `maxInFlight` at a time; an arrival finding every slot taken
 * is counted as `skipped` (the client itself is saturated) rather than queued without bound.
 */
export class OpenLoad {
  readonly records: RequestRecord[] = [];
  skipped = 0;
  #rate: number;
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #owed = 0;
  #last = 0;
  readonly #pending = new Set<Promise<void>>();
  readonly #client: OrderClientOptions;
  readonly #maxInFlight: number;
  readonly #lines = orderLinesGenerator(7, false);
  readonly #tag = randomBytes(3).toString("hex");
  #n = 0;

  constructor(client: OrderClientOptions, options: { rate: number; maxInFlight: number }) {
    this.#client = client;
    this.#rate = options.rate;
    this.#maxInFlight = options.maxInFlight;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  setRate(rate: number): void {
    this.#rate = rate;
  }

  start(): void {
    this.#last = performance.now();
    this.#timer = setInterval(() => this.#tick(), 10);
  }

  #tick(): void {
    const now = performance.now();
    this.#owed += ((now - this.#last) / 1000) * this.#rate;
    this.#last = now;
    while (this.#owed >= 1) {
      this.#owed--;
      if (this.#inFlight >= this.#maxInFlight) {
        this.skipped++;
        continue;
      }
      this.#send();
    }
  }

  #send(): void {
    const n = ++this.#n;
    const key = `chaos-${this.#tag}-${n}`;
    const body = JSON.stringify({
      customer_id: `chaos-customer-${n % 500}`,
      lines: this.#lines(),
      shipping_address: ADDRESS,
    });
    this.#inFlight++;
    const done = sendOrder(this.#client, key, body).then((record) => {
      this.records.push(record);
      this.#inFlight--;
      this.#pending.delete(done);
    });
    this.#pending.add(done);
  }

  /** Stops new arrivals and waits for every request in flight to finish (answer or give up). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.all([...this.#pending]);
  }
}
