// In-memory RetailPricesClient: answers every query with the rows set (the queries are recorded).
import type { RetailPriceItem } from "../../cost/prices";
import type { RetailPricesClient, RetailPricesQuery } from "../retailPrices";
import { CallRecorder } from "./recorder";

export class FakeRetailPrices extends CallRecorder<"listPrices"> implements RetailPricesClient {
  rows: RetailPriceItem[] = [];

  async listPrices(query: RetailPricesQuery): Promise<RetailPriceItem[]> {
    this.enter("listPrices", query);
    return this.rows.map((r) => ({ ...r }));
  }

  reset(): void {
    this.resetCalls();
    this.rows = [];
  }
}
