// The Node quick start's whole program (docs/quickstart-node.md): a first call, then the two
// kinds of error a caller meets first. Run it against the simulator:
//   eval "$(cmi sandbox --port 8080 | head -3 | sed 's/^/export /')" &   # or paste the 3 lines
//   node first-call.mjs
// snippet-start: first-call
import { Client } from 'cmi-datacard';
const client = Client.fromEnv(); // CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET
const { upccTemplate } = await client.queryUpccTemplates({});
console.log(`${upccTemplate.length} speed templates`);
// snippet-end: first-call

// snippet-start: errors
import { CmiError } from 'cmi-datacard';

for (const iccid of ['8985', '89852342024999999999']) {
  try {
    await client.queryQuota({ iccid });
  } catch (e) {
    if (!(e instanceof CmiError)) throw e;
    // 'validation' (refused before sending; e.field names the field) or 'api' (the platform's
    // return code in e.code, e.category, e.retryable), 'transport', 'timeout', 'auth', ...
    console.log(e.kind, e.field ?? e.code, e.retryable, e.description);
  }
}
// snippet-end: errors
