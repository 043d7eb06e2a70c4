import { uuidv7 } from "@orderly/kit/db";
import type { IdGenerator } from "../domain/ports/id-generator.port.ts";

export class Uuidv7IdGenerator implements IdGenerator {
  newId(): string {
    return uuidv7();
  }
}
