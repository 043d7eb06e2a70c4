export {
  AppError,
  type AppErrorInit,
  type ErrorDetails,
  type FieldViolation,
  failedPrecondition,
  isAppError,
  isTransient,
  notFound,
  toAppError,
  unavailable,
  validationError,
} from "./app-error.ts";
export { Code, codeName, httpStatusOf, isCode } from "./status-code.ts";
