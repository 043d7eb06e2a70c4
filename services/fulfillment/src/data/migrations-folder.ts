import { fileURLToPath } from "node:url";

/** Absolute path of this service's SQL migrations, for openDatabase({ migrationsFolder }). */
export function migrationsFolder(): string {
  return fileURLToPath(new URL("../../migrations/", import.meta.url));
}
