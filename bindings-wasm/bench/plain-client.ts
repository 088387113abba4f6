// The baseline of the benchmark: what a partner would write by hand with fetch + node:crypto:
// WSSE signing per request, one cached token, JSON in and out, the code checked. No retries,
// no validation, no typed decoding: the cheapest correct client, to measure the package
// against.
import { createHash, randomBytes } from 'node:crypto';

const AUTHORIZATION = 'WSSE realm="SDP", profile="UsernameToken", type="Appkey"';

export class PlainClient {
  private token: Promise<string> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly appKey: string,
    private readonly appSecret: string,
  ) {}

  private headers(): Record<string, string> {
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    const created = new Date().toISOString().slice(0, 19) + 'Z';
    const digest = createHash('sha256').update(nonce + created + this.appSecret).digest('base64');
    return {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: AUTHORIZATION,
      'x-wsse': `UsernameToken Username="${this.appKey}", PasswordDigest="${digest}", Nonce="${nonce}", Created="${created}"`,
    };
  }

  private async post(path: string, body: object): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.baseUrl}/aep/${path}`, { method: 'POST', headers: this.headers(), body: JSON.stringify(body) });
    const answer = (await res.json()) as Record<string, unknown>;
    if (!res.ok || (answer.code !== '0000000' && answer.code !== '0')) throw new Error(`CMI ${res.status} ${String(answer.code)}`);
    return answer;
  }

  private accessToken(): Promise<string> {
    this.token ??= this.post('APP_getAccessToken_SBO/v1', { id: this.appKey, type: '106' }).then((a) => String(a.accessToken));
    return this.token;
  }

  async call(path: string, body: object): Promise<Record<string, unknown>> {
    return this.post(path, { ...body, accessToken: await this.accessToken() });
  }
}
