// The page's logic: an agent types an ICCID, the relay (same origin, the agent's session
// cookie) answers the three read-only calls the server allows.
import { RelayClient } from 'cmi-datacard/relay-client';

const $ = (id) => document.getElementById(id);
const UNITS = { Bytes: 'B', Megabytes: 'MB', Gigabytes: 'GB' };
const mb = (v) => (v ? `${v.value} ${UNITS[v.unit] ?? v.unit}` : '–');
const english = (texts) => (texts ?? []).find((t) => t.langInfo?.language === 'en')?.value ?? texts?.[0]?.value ?? '';

// snippet-start: lookup
const cmi = new RelayClient({ url: '/api/cmi' }); // no secret here: the server signs

async function lookUp(iccid) {
  const [bundles, quota, esim] = await Promise.all([
    cmi.querySubscribedBundles({ iccid, language: 'English' }),
    cmi.queryQuota({ iccid }),
    // A physical SIM has no eSIM profile: show that instead of failing the whole lookup.
    cmi.queryEsimCardInfo({ iccid }).catch((e) => ({ error: e })),
  ]);
  return { bundles: bundles.userDataBundles ?? [], quotas: quota.quotaList ?? [], esim };
}
// snippet-end: lookup

function render({ bundles, quotas, esim }) {
  $('esim-state').textContent = esim.error ? `unavailable (${esim.error.description ?? esim.error.message})` : (esim.cardInfo?.state ?? 'unknown');
  // The quota list follows the active bundles; a bundle without a quota shows its remaining flow.
  const quota = quotas[0]?.subscriberQuota;
  $('bundles').replaceChildren(
    ...bundles.map((b) => {
      const row = document.createElement('tr');
      const active = b.status === 'Activated' && quota;
      for (const text of [english(b.name), b.status ?? '', active ? mb(quota.consumptionTotal ?? quota.consumption) : '–', mb(active ? quota.balance : b.remainFlow)]) {
        row.append(Object.assign(document.createElement('td'), { textContent: text }));
      }
      return row;
    }),
  );
  $('card').hidden = false;
  $('status').textContent = bundles.length ? '' : 'No bundles on this card.';
}

$('lookup').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('status').className = '';
  $('status').textContent = 'Looking up…';
  $('card').hidden = true;
  try {
    render(await lookUp($('iccid').value.trim()));
    document.body.dataset.state = 'done';
  } catch (e) {
    // A CmiError: `refused` (not logged in, or not allowed), `validation`, or the platform's code.
    $('status').className = 'error';
    $('status').textContent = `${e.kind}: ${e.description ?? e.message}${e.code ? ` (${e.code})` : ''}`;
    document.body.dataset.state = 'error';
  }
});
