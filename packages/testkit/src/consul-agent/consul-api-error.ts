/**
 * An error the agent answers with: Consul replies with a status code and a plain-text reason,
 * and clients (the kit's registration among them) branch on both.
 */
export class ConsulApiError extends Error {
  override readonly name = "ConsulApiError";
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
