import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@orderly/kit/grpc";

/**
 * A domain port over one peer's gRPC client. Subclasses translate the peer's answers and reasons
 * into the order domain's outcomes; the client is all the state they hold.
 */
export abstract class PeerAdapter<S extends DescService> {
  protected readonly peer: Client<S>;

  constructor(peer: Client<S>) {
    this.peer = peer;
  }
}
