// The constraints of the wire contract (proto/) that every service enforces, stated once. Pure
// TypeScript with no dependencies, so any layer may use it, domain/ included.
export { ADDRESS_LIMITS, type AddressFields, addressProblems, countryCodeProblem } from "./address.ts";
export { isCountryCode } from "./country-codes.ts";
export { orderLinesProblems } from "./order-lines.ts";
export { lineCountProblem, lineQuantityProblem, MAX_LINE_QUANTITY, MAX_LINES } from "./quantity.ts";
export { SKU_MAX_LENGTH, SKU_PATTERN, skuProblem } from "./sku.ts";
export { charLength, type TextLimits, textProblem } from "./text.ts";
