import { describe, expect, it } from "vitest";
import { parseCounters } from "./service-counters.ts";

describe("parseCounters", () => {
  it("when a service exposes retries, circuit state and shed requests, then the report sums them", () => {
    const text = [
      "# HELP orderly_rpc_client_retries_total gRPC call attempts repeated after a retryable failure.",
      'orderly_rpc_client_retries_total{rpc_service="orderly.inventory.v1.InventoryService",rpc_method="ReserveStock"} 3',
      'orderly_rpc_client_retries_total{rpc_service="orderly.invoice.v1.InvoiceService",rpc_method="IssueInvoice"} 2',
      'orderly_order_saga_retries_total{step="RESERVE"} 4',
      'orderly_order_saga_compensations_total{action="RELEASE"} 1',
      'orderly_rpc_client_circuit_state{peer="inventory"} 0',
      'orderly_rpc_client_circuit_state{peer="invoice"} 1',
      'orderly_http_server_request_duration_seconds_count{http_request_method="POST",http_route="/v1/orders",http_response_status_code="503"} 7',
      'orderly_http_server_request_duration_seconds_count{http_request_method="GET",http_route="/health/ready",http_response_status_code="503"} 9',
      'orderly_rpc_server_duration_seconds_count{rpc_service="s",rpc_method="GetItem",rpc_grpc_status_code="8"} 5',
      'orderly_rpc_server_duration_seconds_count{rpc_service="s",rpc_method="GetItem",rpc_grpc_status_code="0"} 50',
      'orderly_rpc_server_duration_seconds_count{rpc_service="s",rpc_method="Reserve",rpc_grpc_status_code="0"} 10',
      'orderly_rpc_server_duration_seconds_count{rpc_service="s",rpc_method="Reserve",rpc_grpc_status_code="14"} 2',
      'orderly_rpc_server_duration_seconds_count{rpc_service="s",rpc_method="CreateShipment",rpc_grpc_status_code="0"} 9',
    ].join("\n");
    expect(parseCounters(text)).toEqual({
      rpcRetries: 5,
      sagaRetries: 4,
      compensations: 1,
      shedHttp: 7,
      shedGrpc: 5,
      stepCalls: 21,
      circuitOpen: 1,
    });
  });
});
