// A real OpenID Connect provider on loopback for Batchwise's school sign-in tests.
//
//   node provider.js <port> <redirect_uri> [<redirect_uri>…]
//
// panva's oidc-provider (OpenID Certified) with its development login form: any login is
// accepted (the password is ignored); the account's e-mail is the login when it contains
// an "@", else <login>@school.example. Client "batchwise" / secret "batchwise-test-secret".
// Prints "ready <issuer>" once it listens. Never for production: dev interactions are on.
import Provider from "oidc-provider";

const [port, ...redirects] = process.argv.slice(2);
if (!port || redirects.length === 0) {
  console.error("usage: node provider.js <port> <redirect_uri>…");
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: "batchwise",
    client_secret: "batchwise-test-secret",
    redirect_uris: redirects,
    post_logout_redirect_uris: redirects.map((r) => new URL(r).origin + "/"),
    response_types: ["code"],
    grant_types: ["authorization_code"],
  }],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  // Streamlit reads the person from the ID token: put the claims there, not only in userinfo.
  conformIdTokenClaims: false,
  cookies: { keys: ["batchwise-test-cookie-key"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const email = id.includes("@") ? id.toLowerCase() : `${id.toLowerCase()}@school.example`;
    const name = id.split("@")[0];
    return {
      accountId: id,
      async claims() {
        return { sub: `subject-${id.toLowerCase()}`, email, email_verified: true, name };
      },
    };
  },
});
provider.proxy = false;

const server = provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
