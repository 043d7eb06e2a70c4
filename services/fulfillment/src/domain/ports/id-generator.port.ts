/** New entity and event ids: UUIDv7, so they sort by creation time. */
export interface IdGenerator {
  newId(): string;
}
