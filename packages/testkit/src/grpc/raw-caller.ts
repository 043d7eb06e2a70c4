import * as grpc from "@grpc/grpc-js";

export interface RawAnswer {
  /** 0 when the call succeeded (or a server stream sent its first message / stayed open). */
  code: number;
  details: string;
}

/**
 * One connection for sending raw bytes to many methods (fuzzing, malformed requests): unary calls
 * answer with their status; a server stream answers with its first message, its status, or stays
 * open past `openAfterMs` (then it is cancelled).
 */
export class RawCaller {
  readonly #target: string;
  #client: grpc.Client;

  constructor(target: string) {
    this.#target = target;
    this.#client = new grpc.Client(target, grpc.credentials.createInsecure());
  }

  /** After a transport failure the session may be gone: the next case starts on a fresh one. */
  #reset(): void {
    this.#client.close();
    this.#client = new grpc.Client(this.#target, grpc.credentials.createInsecure());
  }

  call(path: string, body: Uint8Array, streaming: boolean, openAfterMs = 300): Promise<RawAnswer> {
    const deadline = Date.now() + 10_000;
    const bytes = Buffer.from(body);
    const id = (b: Buffer) => b;
    return new Promise<RawAnswer>((resolve) => {
      if (!streaming) {
        this.#client.makeUnaryRequest(path, id, id, bytes, new grpc.Metadata(), { deadline }, (error) =>
          resolve(
            error
              ? { code: error.code ?? grpc.status.UNKNOWN, details: error.details ?? "" }
              : { code: 0, details: "" },
          ),
        );
        return;
      }
      const stream = this.#client.makeServerStreamRequest(path, id, id, bytes, new grpc.Metadata(), {
        deadline,
      });
      let settled = false;
      const settle = (answer: RawAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };
      const timer = setTimeout(() => {
        settle({ code: 0, details: "(stream open)" });
        stream.cancel();
      }, openAfterMs);
      stream.on("data", () => {
        settle({ code: 0, details: "" });
        stream.cancel();
      });
      stream.on("error", (e: grpc.ServiceError) => settle({ code: e.code, details: e.details }));
      stream.on("end", () => settle({ code: 0, details: "" }));
    }).then((answer) => {
      if (/RST_STREAM|session has been destroyed/.test(answer.details)) this.#reset();
      return answer;
    });
  }

  close(): void {
    this.#client.close();
  }
}
