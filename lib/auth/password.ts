import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashing with scrypt (node:crypto), stored as a PHC-like string:
 * `$scrypt$ln=15,r=8,p=1$<salt base64>$<hash base64>`. N = 2^15, r = 8 costs 32 MiB and tens of
 * milliseconds per check: slow on purpose, since passwords are guessable.
 */
const DEFAULT = { ln: 15, r: 8, p: 1 };
const KEY_LEN = 32;

function scrypt(secret: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function options(ln: number, r: number, p: number): ScryptOptions {
  const N = 2 ** ln;
  return { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 };
}

export async function hashPassword(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const { ln, r, p } = DEFAULT;
  const key = await scrypt(secret, salt, KEY_LEN, options(ln, r, p));
  return `$scrypt$ln=${ln},r=${r},p=${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

interface ParsedHash {
  ln: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

export function parseScryptHash(hash: string): ParsedHash | null {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash);
  if (!m) return null;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 10 || ln > 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  const key = Buffer.from(m[5]!, "base64");
  if (key.length < 16) return null;
  return { ln, r, p, salt: Buffer.from(m[4]!, "base64"), key };
}

export function isScryptHash(hash: string): boolean {
  return parseScryptHash(hash) !== null;
}

export async function verifyPassword(secret: string, hash: string): Promise<boolean> {
  const parsed = parseScryptHash(hash);
  if (!parsed) return false;
  const key = await scrypt(secret, parsed.salt, parsed.key.length, options(parsed.ln, parsed.r, parsed.p));
  return timingSafeEqual(key, parsed.key);
}

// Checked against when the username is unknown, so that the answer takes as long either way.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(secret: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(secret, await dummyHash);
}
