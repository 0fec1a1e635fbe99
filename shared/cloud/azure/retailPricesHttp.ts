// RetailPricesClient over HTTPS (node:https, so the sandbox's CA can be trusted locally): GET the endpoint with
// $filter and currencyCode, then follow NextPageLink. The API is public: no credential is ever sent.
import { request } from "node:https";
import type { CallOptions } from "../common";
import type { RetailPriceItem } from "../../cost/prices";
import { RetailPricesError, type RetailPricesClient, type RetailPricesQuery } from "../retailPrices";

export interface RetailPricesHttpOptions {
  /** Default https://prices.azure.com/api/retail/prices (the sandbox's /api/retail/prices locally). */
  endpoint: string;
  caPem?: string | Buffer;
  /** Per page; the API answers in well under a second. */
  timeoutInMs?: number;
}

interface Page {
  Items?: unknown;
  NextPageLink?: unknown;
  BillingCurrency?: unknown;
}

export class HttpRetailPricesClient implements RetailPricesClient {
  constructor(private readonly options: RetailPricesHttpOptions) {}

  async listPrices(query: RetailPricesQuery, options: CallOptions & { maxPages?: number } = {}): Promise<RetailPriceItem[]> {
    const first = new URL(this.options.endpoint);
    first.searchParams.set("$filter", query.filter);
    if (query.currency && query.currency !== "USD") first.searchParams.set("currencyCode", `'${query.currency}'`);
    const items: RetailPriceItem[] = [];
    let next: string | undefined = first.toString();
    const origin = first.origin;
    for (let page = 0; next; page++) {
      if (page >= (options.maxPages ?? 50))
        throw new RetailPricesError(`more than ${options.maxPages ?? 50} pages of prices for ${query.filter}`);
      const url: URL = new URL(next);
      // NextPageLink must stay on the API's host: never follow a link elsewhere.
      if (url.origin !== origin) throw new RetailPricesError(`NextPageLink points outside ${origin}: ${url.origin}`);
      const body = (await this.getJson(url, options)) as Page;
      if (!Array.isArray(body.Items)) throw new RetailPricesError(`malformed page from ${url.origin}${url.pathname}: no Items array`);
      items.push(...(body.Items as RetailPriceItem[]));
      next = typeof body.NextPageLink === "string" && body.NextPageLink !== "" ? body.NextPageLink : undefined;
    }
    return items;
  }

  private getJson(url: URL, options: CallOptions): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (options.abortSignal?.aborted) return reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
      const req = request(
        url,
        {
          method: "GET",
          headers: { accept: "application/json" },
          timeout: this.options.timeoutInMs ?? 30_000,
          ...(this.options.caPem ? { ca: this.options.caPem } : {}),
          signal: options.abortSignal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode !== 200)
              return reject(new RetailPricesError(`Retail Prices API answered ${res.statusCode}: ${text.slice(0, 300)}`, res.statusCode));
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new RetailPricesError("Retail Prices API answered with invalid JSON", res.statusCode));
            }
          });
          res.on("error", (e) => reject(new RetailPricesError(`Retail Prices API: ${e.message}`)));
        },
      );
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", (e) => reject(e.name === "AbortError" ? e : new RetailPricesError(`Retail Prices API unreachable: ${e.message}`)));
      req.end();
    });
  }
}
