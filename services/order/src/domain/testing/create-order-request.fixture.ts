import type { CreateOrderRequest } from "../create-order-request.ts";

/** A create request that meets every rule; tests spread it and change what they are about. */
export const VALID_CREATE_ORDER_REQUEST: CreateOrderRequest = {
  customerId: "cust-1",
  lines: [{ sku: "MUG-1", quantity: 2 }],
  shippingAddress: {
    name: "Ada",
    line1: "1 Loop",
    line2: "",
    city: "Berlin",
    postalCode: "10115",
    countryCode: "DE",
  },
};
