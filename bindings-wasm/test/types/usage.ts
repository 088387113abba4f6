// Compiled with `tsc -p test/types` (strict, no emit) against the generated index.d.ts: the
// calls type-check, and each `@ts-expect-error` line proves a mistake is a compile error
// (tsc fails if the line compiles).
import { Client, CmiError, RelayClient, createRelayHandler, parseNotification } from 'cmi-datacard';
import type { CreateOrderRequest, ParsedNotification, PurchaseKind, TokenStore } from 'cmi-datacard';

export async function typed(client: Client): Promise<void> {
  // snippet-start: typed
  const order: CreateOrderRequest = {
    thirdOrderId: 'shop-1',
    purchaseKind: 'Bundle',
    dataBundleId: 'D2401011200000000002',
    quantity: 1,
    iccid: '89852342024000000013',
  };
  const created = await client.createOrder(order);
  const id: string = created.orderId;
  void id;

  // @ts-expect-error: a misspelt field name
  await client.createOrder({ ...order, thirdOrderID: 'x' });
  // @ts-expect-error: a required field missing
  await client.createOrder({ thirdOrderId: 'x', purchaseKind: 'Bundle', quantity: 1 });
  // @ts-expect-error: not a variant of the enum
  const kind: PurchaseKind = 'Bundles';
  void kind;
  // snippet-end: typed
  // @ts-expect-error: no such operation
  await client.buyEverything({});
  // @ts-expect-error: options use undefined, not null
  new Client({ baseUrl: 'https://x', appKey: 'k', appSecret: 's', maxRetries: null });
  // @ts-expect-error: unknown option
  new Client({ baseUrl: 'https://x', appKey: 'k', appSecret: 's', retries: 2 });

  const data = new Map<string, string>();
  const store: TokenStore = {
    get: async (key) => data.get(key),
    set: async (key, value) => data.set(key, value),
    lock: async (key) => !data.has(key),
  };
  new Client({ baseUrl: 'https://x', appKey: 'k', appSecret: 's', tokenStore: store, tokenStoreTimeoutMs: 200 });
  // @ts-expect-error: a store needs lock (the fleet's single refresh)
  new Client({ baseUrl: 'https://x', appKey: 'k', appSecret: 's', tokenStore: { get: store.get, set: store.set } });

  try {
    await client.queryQuota({ iccid: '1' });
  } catch (e) {
    if (e instanceof CmiError) {
      const code: string | undefined = e.code;
      const retry: boolean = e.retryable;
      void code;
      void retry;
    }
  }
}

export async function relay(): Promise<void> {
  const r = new RelayClient({ url: '/api/cmi' });
  const bundles = await r.queryDataBundles({ cooperationMode: 'Consignment' });
  void bundles.dataBundles;
  // @ts-expect-error: the token call is not relayed
  await r.getAccessToken({ id: 'k', accountType: '106' });
  createRelayHandler(new Client({ baseUrl: 'https://x', appKey: 'k', appSecret: 's' }), {
    authorize: ({ operation }) => operation !== 'createOrder',
  });
}

export function callbacks(body: string): void {
  const n: ParsedNotification = parseNotification({ 'content-type': 'application/json' }, body);
  if (n.kind === 'activation') {
    const e = n.event;
    void e;
  }
  // @ts-expect-error: no such kind
  if (n.kind === 'activate') return;
}
