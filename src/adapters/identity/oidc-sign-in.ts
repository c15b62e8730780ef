import * as oidc from 'openid-client';
import type { Identity, SignInProvider } from '../../core/kernel/ports.ts';

export interface OidcOptions {
  /** Default Google: https://accounts.google.com */
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/**
 * OpenID Connect sign-in with a maintained client (openid-client): authorization code with PKCE,
 * state and nonce checked on return, the ID token verified against the issuer's keys.
 */
export function oidcSignIn(options: OidcOptions): SignInProvider {
  let config: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    if (!config) {
      const url = new URL(options.issuer);
      // Plain http only for an issuer on this machine (tests, local development).
      const loopback = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      config = oidc.discovery(
        url,
        options.clientId,
        options.clientSecret,
        undefined,
        loopback ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
      config.catch(() => (config = undefined));
    }
    return config;
  };
  return {
    async start(redirectUri) {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, state: JSON.stringify({ verifier, state, nonce }) };
    },
    async finish(currentUrl, kept) {
      const { verifier, state, nonce } = JSON.parse(kept) as {
        verifier: string;
        state: string;
        nonce: string;
      };
      const tokens = await oidc.authorizationCodeGrant(await configuration(), new URL(currentUrl), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      let claims: Record<string, unknown> = tokens.claims()!;
      // Google puts the email in the ID token; other issuers may only give it at the userinfo endpoint.
      if (typeof claims.email !== 'string') {
        claims = {
          ...claims,
          ...(await oidc.fetchUserInfo(await configuration(), tokens.access_token, String(claims.sub))),
        };
      }
      return {
        issuer: String(claims.iss),
        subject: String(claims.sub),
        email: typeof claims.email === 'string' ? claims.email : null,
        emailVerified: claims.email_verified === true,
        name: typeof claims.name === 'string' ? claims.name : null,
      } satisfies Identity;
    },
  };
}
