import { type Env, envTypes, loadServiceConfig } from "@orderly/kit/config";
import packageJson from "../package.json" with { type: "json" };

/** The inventory service's configuration: the standard variables plus its reservation rules. */
const INVENTORY_CONFIG = {
  name: "inventory",
  version: packageJson.version,
  defaultHttpPort: 8081,
  defaultGrpcPort: 50052,
  extra: {
    /**
     * How long a reservation stays held unless committed or released. Seven days by default: the
     * order saga commits only when fulfillment reports SHIPPED, which can take days, and an
     * expired reservation can no longer be committed (see README).
     */
    RESERVATION_TTL_SECONDS: envTypes.positiveInt(7 * 24 * 60 * 60),
    /** Pause between sweeps that expire overdue reservations and give their stock back. */
    RESERVATION_SWEEP_INTERVAL_MS: envTypes.positiveInt(30_000),
  },
};

export function loadConfig(env: Env = process.env) {
  return loadServiceConfig(INVENTORY_CONFIG, env);
}

export type InventoryConfig = ReturnType<typeof loadConfig>;
