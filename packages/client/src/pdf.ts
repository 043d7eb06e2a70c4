import { OrderlyError, STATUS_NAMES, type StatusName } from "./orderly-error.ts";

interface PdfRequest {
  token: string | undefined;
  deadlineMs: number;
  signal: AbortSignal | undefined;
}

/**
 * GET /v1/invoices/{id}.pdf on the invoice service's HTTP API (the gRPC API has no PDF). A problem+json
 * answer becomes the same OrderlyError the gRPC calls throw (its `code` member is the gRPC code name).
 */
export async function fetchInvoicePdf(baseUrl: string, id: string, request: PdfRequest): Promise<Uint8Array> {
  const url = `${baseUrl.replace(/\/+$/, "")}/v1/invoices/${encodeURIComponent(id)}.pdf`;
  const signals = [AbortSignal.timeout(request.deadlineMs), ...(request.signal ? [request.signal] : [])];
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: "application/pdf",
        ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      },
      signal: AbortSignal.any(signals),
    });
  } catch (cause) {
    const timedOut = cause instanceof Error && cause.name === "TimeoutError";
    throw new OrderlyError({
      code: timedOut ? "DEADLINE_EXCEEDED" : "UNAVAILABLE",
      reason: timedOut ? "DEADLINE_EXCEEDED" : "PEER_UNAVAILABLE",
      message: timedOut ? `no answer from ${url} within ${request.deadlineMs} ms` : `cannot reach ${url}`,
      cause,
    });
  }
  if (response.ok) return new Uint8Array(await response.arrayBuffer());
  throw await problemError(response);
}

async function problemError(response: Response): Promise<OrderlyError> {
  const body = (await response.json().catch(() => ({}))) as {
    code?: string;
    reason?: string;
    detail?: string;
    details?: { violations?: { field: string; description: string }[] };
  };
  const code = (STATUS_NAMES as readonly string[]).includes(body.code ?? "")
    ? (body.code as StatusName)
    : codeOfHttpStatus(response.status);
  return new OrderlyError({
    code,
    reason: body.reason ?? code,
    message: body.detail ?? `HTTP ${response.status}`,
    fieldViolations: body.details?.violations ?? [],
    details: body.details ?? {},
  });
}

function codeOfHttpStatus(status: number): StatusName {
  if (status === 400) return "INVALID_ARGUMENT";
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "PERMISSION_DENIED";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "FAILED_PRECONDITION";
  if (status === 429) return "RESOURCE_EXHAUSTED";
  if (status === 503) return "UNAVAILABLE";
  if (status === 504) return "DEADLINE_EXCEEDED";
  return status >= 500 ? "INTERNAL" : "UNKNOWN";
}
