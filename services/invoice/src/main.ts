import { fileURLToPath } from "node:url";
import { InvoiceService } from "@orderly/contracts/invoice";
import { connectServiceEventBus, type Service, servedApi, serviceMain } from "@orderly/kit/service";
import { buildApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import type { InvoiceDatabase } from "./data/schema.ts";
import { createInvoicingPolicy } from "./domain/invoicing-policy.ts";
import { InvoiceFonts } from "./pdf/invoice-fonts.ts";
import {
  ORDER_EVENTS_VOIDING_INVOICES,
  orderEventsHandler,
} from "./transport/events/order-events.handler.ts";
import { invoiceGrpcHandlers } from "./transport/grpc/invoice.grpc.ts";
import { registerInvoiceRoutes } from "./transport/http/invoice.http.ts";

/** Composition root: config -> adapters -> app -> start (kit serviceMain). Returns the running service. */
export const main = serviceMain({
  loadConfig,
  migrationsFolder: fileURLToPath(new URL("../migrations", import.meta.url)),
  apiDescription: "Invoices with gapless yearly numbers, exact integer totals, and their PDF.",
  serves: servedApi({
    grpc: InvoiceService,
    grpcHandlers: invoiceGrpcHandlers,
    httpRoutes: registerInvoiceRoutes,
  }),
  async compose(service: Service<never, InvoiceDatabase>, config) {
    const settings = config.extra;
    // Read and parsed once here, not per PDF; a font that is not a font fails the start.
    const fonts = InvoiceFonts.load(settings.INVOICE_PDF_FALLBACK_FONT);
    const app = buildApp({
      database: service.database,
      fonts,
      log: service.log,
      policy: createInvoicingPolicy({
        acceptedCurrencies: settings.INVOICE_CURRENCIES,
      }),
      seller: {
        name: settings.SELLER_NAME,
        taxId: settings.SELLER_TAX_ID,
        email: settings.SELLER_EMAIL,
        address: {
          line1: settings.SELLER_ADDRESS_LINE1,
          city: settings.SELLER_CITY,
          postalCode: settings.SELLER_POSTAL_CODE,
          countryCode: settings.SELLER_COUNTRY_CODE,
        },
      },
    });
    if (config.eventBus) {
      const bus = await connectServiceEventBus(service, config.eventBus);
      service.addBackground(
        bus.consumer({
          database: service.database,
          consumer: "invoice",
          source: "order",
          events: ORDER_EVENTS_VOIDING_INVOICES,
          handle: orderEventsHandler(app.voidInvoiceOfEndedOrderIn, service.log),
        }),
      );
    }
    return app;
  },
});

if (import.meta.main) await main(undefined, { handleSignals: true });
