/**
 * `npm run hash-secret -- <password>`: prints a scrypt hash for auth.users[].passwordHash.
 * `npm run hash-secret -- --token [<token>]`: prints a SHA-256 hash for auth.tokens[].tokenHash
 * (generating a random token first when none is given). The hash is alone on the last line.
 */
import { hashPassword } from "../lib/auth/password";
import { generateToken, hashToken } from "../lib/auth/token-hash";

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--token") {
    const given = args[1];
    const token = given ?? generateToken();
    if (!given) console.log(`New API token (store it now, it is not shown again): ${token}`);
    if (token.length < 32) console.error("warning: tokens should be long random strings (at least 32 characters)");
    console.log(hashToken(token));
    return;
  }
  const secret = args[0];
  if (!secret) {
    console.error("usage: npm run hash-secret -- <password>    |    npm run hash-secret -- --token [<token>]");
    process.exit(2);
  }
  console.log(await hashPassword(secret));
}

void main();
