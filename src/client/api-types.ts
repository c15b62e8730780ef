/**
 * Generated from tollgate's OpenAPI document by openapi-typescript (scripts/client-types.ts).
 * Do not edit: run `npm run client:types`; `npm run check` fails while this file is stale.
 */
export interface paths {
  '/v1/api_keys/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Verify an API key secret */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            key: string;
            /** @description judge `available` on what this model can use (its scoped credits too) */
            model?: string;
          };
        };
      };
      responses: {
        /** @description The verdict on the key */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Verification'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/usage_events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Meter usage events (at most 1000), answered per event in order */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            events: {
              [key: string]: unknown;
            }[];
          };
        };
      };
      responses: {
        /** @description Each event accepted, duplicate or rejected */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IngestResults'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Accounts, newest first; find one by email or external_id */
    get: {
      parameters: {
        query?: {
          email?: string;
          external_id?: string;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Accounts, newest first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['Account'][];
              /** @description Pass as `cursor` for the next page; null on the last */
              next_cursor: string | null;
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create an account */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            email?: string | null;
            external_id?: string | null;
            /**
             * @description ISO 4217, one of TOLLGATE_CURRENCIES (default: the first)
             * @example EUR
             */
            currency?: string | null;
          };
        };
      };
      responses: {
        /** @description The account created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Account'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get an account */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The account */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Account'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Update an account */
    patch: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            email?: string | null;
            /** @example 1500 */
            low_balance_threshold?: string | null;
            /** @description Credits used (billed and unbilled) per UTC day or month */
            spend_limit?: {
              /** @example 1500 */
              credits: string;
              /** @enum {string} */
              period: 'day' | 'month';
            } | null;
            /** @description Credits used (billed and unbilled) per UTC day or month */
            spend_budget?: {
              /** @example 1500 */
              credits: string;
              /** @enum {string} */
              period: 'day' | 'month';
            } | null;
            auto_top_up?: {
              /** @example 1500 */
              threshold: string;
              /** @example 1500 */
              credits: string;
              /**
               * @description In the account's currency
               * @example 1500
               */
              monthly_max_total: string;
              provider: string;
            } | null;
            /** @description Who invoices are addressed to; frozen into each invoice at issue */
            billing_details?: {
              legal_name: string;
              address_line1: string;
              address_line2?: string | null;
              postal_code: string;
              city: string;
              /**
               * @description ISO 3166-1 alpha-2
               * @example DE
               */
              country: string;
              /** @description VAT number in the EU (checked against its country format) */
              tax_id?: string | null;
            } | null;
            /**
             * @description ISO 4217; 409 invalid_state once the account has paid a purchase
             * @example EUR
             */
            currency?: string;
          };
        };
      };
      responses: {
        /** @description The account as updated */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Account'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/v1/accounts/{id}/balance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The credit balance of an account */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The balance now */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Balance'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/api_keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List API keys (deleted keys are not listed) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The keys not deleted */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['ApiKey'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create an API key (the secret is in this answer only) */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            nickname: string;
          };
        };
      };
      responses: {
        /** @description The key created, with its secret (this answer only) */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NewApiKey'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api_keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get an API key */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The key */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKey'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a suspended API key */
    delete: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Done; no content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Rename an API key or set its spend limit */
    patch: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            nickname?: string;
            /** @description Credits used (billed and unbilled) per UTC day or month */
            spend_limit?: {
              /** @example 1500 */
              credits: string;
              /** @enum {string} */
              period: 'day' | 'month';
            } | null;
            /** @description Credits used (billed and unbilled) per UTC day or month */
            spend_budget?: {
              /** @example 1500 */
              credits: string;
              /** @enum {string} */
              period: 'day' | 'month';
            } | null;
          };
        };
      };
      responses: {
        /** @description The key as updated */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKey'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    trace?: never;
  };
  '/v1/api_keys/{id}/suspend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Suspend an API key */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The key, suspended */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKey'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api_keys/{id}/activate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Activate a suspended API key */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The key, active */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKey'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/credit_quotes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Price credits */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 1500 */
            credits: string;
          };
        };
      };
      responses: {
        /** @description What that many credits cost */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditQuote'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/credit_purchases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Credit purchases of an account, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The purchases of the account, newest first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['CreditPurchase'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Start a credit purchase (header Idempotency-Key) */
    post: {
      parameters: {
        query?: never;
        header: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key': string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 1500 */
            credits: string;
            provider: string;
            save_payment_method?: boolean;
            /** @description Models these credits pay for (scoped credits); absent or null: any model */
            models?: string[] | null;
          };
        };
      };
      responses: {
        /** @description The purchase, pending until its payment */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditPurchase'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/credit_purchases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every account's credit purchases, newest first (status=pending: what waits for /confirm) */
    get: {
      parameters: {
        query?: {
          status?: 'pending' | 'paid' | 'failed';
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Every account’s purchases, newest first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['CreditPurchase'][];
              /** @description Pass as `cursor` for the next page; null on the last */
              next_cursor: string | null;
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/credit_purchases/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a credit purchase */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The purchase */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditPurchase'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/credit_purchases/{id}/confirm': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Confirm a manual purchase: credits, lot, invoice */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The purchase, paid, with its invoice */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditPurchase'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/credit_purchases/{id}/fail': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark a pending purchase failed */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The purchase, failed */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditPurchase'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/credit_purchases/{id}/refund': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Refund unspent credits: issues a credit note */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': {
            /** @example 1500 */
            credits?: string;
          };
        };
      };
      responses: {
        /** @description The credit note of the refund */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditNote'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/credit_grants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Grant promotional credits (no invoice) */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 1500 */
            credits: string;
            reason: string;
            expires_at?: string | null;
            priority?: number;
            /** @description Models these credits pay for (scoped credits); absent or null: any model */
            models?: string[] | null;
          };
        };
      };
      responses: {
        /** @description The grant: a lot of promotional credits */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditGrant'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/invoices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Billing history, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Billing history, newest first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['Invoice'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/invoices/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a frozen invoice */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The frozen invoice */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Invoice'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/invoices/{id}/pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download an invoice as PDF or Factur-X */
    get: {
      parameters: {
        query?: {
          /** @description `facturx`: a PDF/A-3 with the EN 16931 CII embedded as factur-x.xml */
          format?: 'pdf' | 'facturx';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The invoice as PDF; `format=facturx`: a Factur-X PDF/A-3 with its CII embedded as factur-x.xml */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/credit_notes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Credit notes of an account */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Credit notes of the account */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['CreditNote'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/credit_notes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a credit note */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The credit note */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditNote'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/credit_notes/{id}/pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download a credit note as PDF or Factur-X */
    get: {
      parameters: {
        query?: {
          /** @description `facturx`: a PDF/A-3 with the EN 16931 CII embedded as factur-x.xml */
          format?: 'pdf' | 'facturx';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The credit note as PDF; `format=facturx`: a Factur-X PDF/A-3 with its CII embedded as factur-x.xml */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/invoices/{id}/xml': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download an invoice as an EN 16931 e-invoice */
    get: {
      parameters: {
        query: {
          /** @description `ubl`: OASIS UBL 2.1; `cii`: UN/CEFACT Cross Industry Invoice D16B */
          syntax: 'ubl' | 'cii';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The invoice as an EN 16931 e-invoice: UBL 2.1 `Invoice` or UN/CEFACT CII (type code 380) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/xml': string;
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/credit_notes/{id}/xml': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download a credit note as an EN 16931 e-invoice */
    get: {
      parameters: {
        query: {
          /** @description `ubl`: OASIS UBL 2.1; `cii`: UN/CEFACT Cross Industry Invoice D16B */
          syntax: 'ubl' | 'cii';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The credit note as an EN 16931 e-invoice: UBL 2.1 `CreditNote` or UN/CEFACT CII (type code 381) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/xml': string;
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/credit_allowances': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Credit allowances of an account, oldest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The allowances of the account, oldest first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['CreditAllowance'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Grant credits every month (the first at once), each grant expiring when its month ends */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 1500 */
            credits: string;
            period: string;
            reason: string;
            /** @description Models these credits pay for (scoped credits); absent or null: any model */
            models?: string[] | null;
          };
        };
      };
      responses: {
        /** @description The allowance; its first month is granted */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditAllowance'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/credit_allowances/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Stop an allowance: no grant for the months after (this month's grant stays until it expires) */
    delete: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The allowance, ended */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreditAllowance'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/usage_disputes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Usage records customers disputed, newest first */
    get: {
      parameters: {
        query?: {
          status?: 'open' | 'resolved';
          account_id?: string;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Disputes, newest first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['UsageDispute'][];
              /** @description Pass as `cursor` for the next page; null on the last */
              next_cursor: string | null;
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/usage_disputes/{id}/resolve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resolve a dispute: void its event (credits come back) or reject it, with a note the customer sees */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            outcome: 'void' | 'reject';
            note: string;
          };
        };
      };
      responses: {
        /** @description The dispute, resolved */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['UsageDispute'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/transfers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A ledger transfer, traced to the usage it bills */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The transfer, traced to what it bills */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Transfer'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/usage_events/{id}/void': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Void a usage event (a correction): unbilled drops at once; what was billed comes back at the next billing run */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description The void */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['UsageVoid'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/usage/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Usage per hour or day (UTC unless tz) */
    get: {
      parameters: {
        query?: {
          /** @description Start, inclusive (ISO 8601) */
          from?: string;
          /** @description End, exclusive (ISO 8601) */
          to?: string;
          /** @description Bucket size */
          granularity?: 'hour' | 'day';
          /** @description One bucket per model or per key */
          group_by?: 'model' | 'api_key';
          /** @description IANA zone of the buckets, default UTC */
          tz?: string;
          api_key_id?: string;
          model?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Usage per bucket */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['UsageBucket'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/usage/records': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Detailed usage records, cursor-paged */
    get: {
      parameters: {
        query?: {
          /** @description Start, inclusive (ISO 8601) */
          from?: string;
          /** @description End, exclusive (ISO 8601) */
          to?: string;
          api_key_id?: string;
          model?: string;
          /** @description Records per page, 1 to 1000 (default 100) */
          limit?: string;
          /** @description The next_cursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Usage records in time order */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['UsageRecord'][];
              /** @description Pass as `cursor` for the next page; null on the last */
              next_cursor: string | null;
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/usage/records.csv': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The same records as CSV, streamed */
    get: {
      parameters: {
        query?: {
          /** @description Start, inclusive (ISO 8601) */
          from?: string;
          /** @description End, exclusive (ISO 8601) */
          to?: string;
          api_key_id?: string;
          model?: string;
          /** @description Records per page, 1 to 1000 (default 100) */
          limit?: string;
          /** @description The next_cursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The same records as CSV */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/csv': string;
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/billing_runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Bill every closed UTC hour not yet billed */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': {
            through?: string;
          };
        };
      };
      responses: {
        /** @description What the run billed */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BillingRun'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Meter usage sent as CloudEvents: one (structured), a batch of at most 1000, or binary mode (ce-* headers); answered as /v1/usage_events */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/cloudevents+json': {
            [key: string]: unknown;
          };
          'application/cloudevents-batch+json': {
            [key: string]: unknown;
          }[];
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      responses: {
        /** @description Each CloudEvent accepted, duplicate or rejected */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['IngestResults'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/holds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reserve credits for a long job (optional header Idempotency-Key makes a retry safe) */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 1500 */
            credits: string;
            ttl_seconds?: number;
            reference?: string | null;
            api_key_id?: string;
          };
        };
      };
      responses: {
        /** @description The hold, pending */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Hold'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/holds/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a hold */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The hold */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Hold'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/holds/{id}/capture': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Capture up to the held credits */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 1500 */
            credits: string;
          };
        };
      };
      responses: {
        /** @description The hold, captured */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Hold'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/holds/{id}/release': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Release a hold */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The hold, released */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Hold'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/price_versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every version of the rate card, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Every version, newest first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['PriceVersion'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Add a version of the rate card, in effect from effective_at (never re-rates stored events) */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 2027-01-01T00:00:00Z */
            effective_at: string;
            models: components['schemas']['RateEntryInput'][];
            note?: string | null;
          };
        };
      };
      responses: {
        /** @description The version created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PriceVersion'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/prices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The prices in effect at a time, with an account contract applied */
    get: {
      parameters: {
        query?: {
          at?: string;
          account_id?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The prices in effect */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Prices'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/contracts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An account's contracts, by start */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The account's contracts */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['Contract'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Give an account a contract: its own prices or a discount on the card, for a period */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            starts_at?: string;
            ends_at?: string | null;
            /**
             * @description A decimal string from "0" to "100" (a number is read as one)
             * @example 15
             */
            discount_percent?: string | number | unknown;
            models?: components['schemas']['RateEntryInput'][];
          };
        };
      };
      responses: {
        /** @description The contract created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Contract'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/contracts/{id}/end': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End a contract now */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The contract, ended */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Contract'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/exchange_rates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The rates in effect on a day (default today): per base, those of the latest day at or before it */
    get: {
      parameters: {
        query?: {
          date?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Per base, the rates of the latest day at or before the date */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['ExchangeRates'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    /** Store a day's exchange rates (1 base = rate of each currency), e.g. the ECB's */
    put: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 2026-12-07 */
            date: string;
            /** @example EUR */
            base: string;
            /**
             * @example {
             *       "USD": "1.0843",
             *       "GBP": "0.8571"
             *     }
             */
            rates: {
              [key: string]: string;
            };
          };
        };
      };
      responses: {
        /** @description The rates stored */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ExchangeRates'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook_endpoints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List webhook endpoints */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The endpoints */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['WebhookEndpoint'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Register a webhook endpoint (the secret is in this answer only) */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            url: string;
            events: string[];
          };
        };
      };
      responses: {
        /** @description The endpoint, with its signing secret */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookEndpointWithSecret'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook_endpoints/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a webhook endpoint */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The endpoint */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookEndpoint'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a webhook endpoint */
    delete: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Done; no content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook_endpoints/{id}/rotate_secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rotate the signing secret (the new one is in this answer only) */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The endpoint and its new secret */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookEndpointWithSecret'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook_endpoints/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Delivery attempts of an endpoint, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deliveries to the endpoint */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['WebhookDelivery'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operator_tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the operator tokens not revoked */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Tokens not revoked */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['OperatorToken'][];
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    /** Create an operator token with scopes (the token is in this answer only) */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            scopes: ('admin' | 'ingest' | 'read')[];
          };
        };
      };
      responses: {
        /** @description The token created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['OperatorToken'] & {
              /** @description The token: shown in this answer only */
              token: string;
            };
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operator_tokens/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an operator token at once */
    delete: {
      parameters: {
        query?: never;
        header?: {
          /** @description Makes a retry safe: the same key and body answer the first answer again (kept 35 days) */
          'idempotency-key'?: string;
        };
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Done; no content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/audit_log': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every change made with an operator token, the portal or the CLI, oldest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Changes made through the API, oldest first */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              data: components['schemas']['AuditLine'][];
              /** @description Pass as `cursor` for the next page; null on the last */
              next_cursor: string | null;
            };
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reports/deferred_revenue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The liability of paid, unspent credits at cost over a month, rolled forward */
    get: {
      parameters: {
        query: {
          month: string;
          /** @description ISO 4217; default: the default currency */
          currency?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The month rolled forward, in USD at cost */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DeferredRevenue'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reports/journal.csv': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every ledger transfer in [from, to) as a double-entry line, with its value at cost (CSV, streamed) */
    get: {
      parameters: {
        query: {
          from: string;
          to: string;
          /** @description ISO 4217; default: the default currency */
          currency?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The journal as CSV */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/csv': string;
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{id}/portal_sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A one-time link into the customer portal for this account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A one-time link into the customer portal */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PortalLink'];
          };
        };
        /** @description malformed_json (or invalid_signature): the body is not JSON */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unauthorized: no or bad operator token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description forbidden: the token’s scopes do not allow this route */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description not_found: unknown id */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description A conflict: insufficient_credits, idempotency_conflict, invalid_state, api_key_limit_reached, ... */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description payload_too_large */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description validation_failed (details list the fields), amount_out_of_range or payment_out_of_range */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
        /** @description unavailable: storage cannot answer now; retry after Retry-After seconds; nothing was written */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Error'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description { valid: true, account_id, key_id, available } or { valid: false, code } */
    Verification: {
      valid: boolean;
      account_id?: string;
      key_id?: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      available?: string;
      /** @enum {string} */
      code?: 'unknown_key' | 'suspended' | 'insufficient_credits' | 'spend_limit_reached';
    };
    /** @description Every non-2xx answer: a stable `code` and a message for people */
    Error: {
      error: {
        /** @enum {string} */
        code:
          | 'unauthorized'
          | 'not_found'
          | 'method_not_allowed'
          | 'validation_failed'
          | 'malformed_json'
          | 'payload_too_large'
          | 'api_key_limit_reached'
          | 'api_key_not_suspended'
          | 'payment_out_of_range'
          | 'insufficient_credits'
          | 'spend_limit_reached'
          | 'idempotency_conflict'
          | 'invalid_state'
          | 'invalid_signature'
          | 'forbidden'
          | 'amount_out_of_range'
          | 'request_in_progress'
          | 'concurrency_limit_reached'
          | 'rate_limited'
          | 'unavailable'
          | 'internal_error';
        message: string;
        request_id: string | null;
        details?: {
          field: string;
          message: string;
        }[];
      };
    };
    /** @description One result per event, in input order */
    IngestResults: {
      results: {
        id: string;
        /** @enum {string} */
        status: 'accepted' | 'duplicate' | 'rejected';
        /** @enum {string} */
        code?:
          | 'validation_failed'
          | 'idempotency_conflict'
          | 'unknown_key'
          | 'unknown_account'
          | 'unknown_model'
          | 'too_old'
          | 'in_future'
          | 'amount_out_of_range';
        message?: string;
      }[];
    };
    Account: {
      id: string;
      /** @enum {string} */
      object: 'account';
      name: string;
      email: string | null;
      external_id: string | null;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      low_balance_threshold: string | null;
      spend_limit: components['schemas']['SpendLimit'];
      spend_budget: components['schemas']['SpendLimit'];
      auto_top_up: {
        /**
         * @description Credits as a decimal string, never a JSON number
         * @example 1500
         */
        threshold: string;
        /**
         * @description Credits as a decimal string, never a JSON number
         * @example 1500
         */
        credits: string;
        /**
         * @description US dollars as a decimal string with cents
         * @example 15.00
         */
        monthly_max_total: string;
        /** @enum {string} */
        provider: 'manual' | 'stripe';
      } | null;
      billing_details: {
        [key: string]: unknown;
      } | null;
      /**
       * @description ISO 4217: what it buys in
       * @example EUR
       */
      currency: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
    };
    /** @description Credits used (billed and unbilled) per UTC day or month; null: none */
    SpendLimit: {
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      /** @enum {string} */
      period: 'day' | 'month';
    } | null;
    Balance: {
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      posted: string;
      /**
       * @description Held for long jobs
       * @example 1500
       */
      pending: string;
      /**
       * @description Metered, not yet billed
       * @example 1500
       */
      unbilled: string;
      /**
       * @description What any model can use: posted - pending - unbilled - the unspent of scoped credits
       * @example 1500
       */
      available: string;
      /** @description For each model scoped credits pay for: what that model can use (available plus the unspent scoped credits covering it) */
      available_by_model: {
        [key: string]: string;
      };
      /** @enum {string} */
      currency: 'credits';
      /** @description How long available lasts at the last 24 hours of usage; null without usage */
      runway_seconds?: number | null;
    };
    NewApiKey: components['schemas']['ApiKey'] & {
      /** @description The key itself: shown in this answer only */
      secret: string;
    };
    ApiKey: {
      id: string;
      /** @enum {string} */
      object: 'api_key';
      account_id: string;
      nickname: string;
      /** @enum {string} */
      status: 'active' | 'suspended' | 'deleted';
      /** @description Prefix and last 4 characters of the secret */
      hint: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      last_used_at: string | null;
      spend_limit: components['schemas']['SpendLimit'];
      spend_budget: components['schemas']['SpendLimit'];
      /**
       * @description Credits used in the current UTC period of its limit
       * @example 1500
       */
      spent?: string;
    };
    CreditQuote: {
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      unit_price: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      subtotal: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      tax: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      total: string;
      /**
       * @description ISO 4217
       * @example EUR
       */
      currency: string;
      /** @enum {string} */
      tax_rule: 'domestic' | 'reverse_charge' | 'eu_oss' | 'outside_scope' | 'configured';
      /** @example 0.19 */
      tax_rate: string;
    };
    CreditPurchase: {
      id: string;
      /** @enum {string} */
      object: 'credit_purchase';
      account_id: string;
      /** @enum {string} */
      status: 'pending' | 'paid' | 'failed';
      /** @description `manual`, `stripe`, or another configured provider */
      provider: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      unit_price: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      subtotal: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      tax: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      total: string;
      /**
       * @description ISO 4217
       * @example EUR
       */
      currency: string;
      /**
       * @description The tax rule it was quoted under (null for purchases made before tax rules)
       * @enum {string|null}
       */
      tax_rule: 'domestic' | 'reverse_charge' | 'eu_oss' | 'outside_scope' | 'configured' | null;
      checkout_url: string | null;
      invoice_id: string | null;
      /** @enum {string} */
      origin: 'customer' | 'auto_top_up';
      /** @description The models its credits pay for once paid (scoped credits); null: any model */
      models: string[] | null;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
    };
    CreditNote: {
      id: string;
      /** @enum {string} */
      object: 'credit_note';
      number: string;
      account_id: string;
      invoice_id: string;
      purchase_id: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      total: string;
      /**
       * @description ISO 4217
       * @example EUR
       */
      currency: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      issued_at: string;
      snapshot: {
        [key: string]: unknown;
      };
    };
    CreditGrant: {
      id: string;
      /** @enum {string} */
      object: 'credit_grant';
      lot_id: string;
      account_id: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      reason: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      expires_at: string | null;
      /** @description The models the lot pays for (scoped credits); null: any model */
      models: string[] | null;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
    };
    Invoice: {
      id: string;
      /** @enum {string} */
      object: 'invoice';
      number: string;
      account_id: string;
      purchase_id: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      issued_at: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      total: string;
      currency: string;
      /** @description The invoice as frozen when issued */
      snapshot: {
        [key: string]: unknown;
      };
    };
    /** @description Credits granted at 00:00 UTC on every 1st (the first at once), each grant expiring when its month ends */
    CreditAllowance: {
      id: string;
      /** @enum {string} */
      object: 'credit_allowance';
      account_id: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      /** @enum {string} */
      period: 'month';
      reason: string;
      /** @description The models its grants pay for (scoped credits); null: any model */
      models: string[] | null;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
      /**
       * @description When it was stopped; null while it grants
       * @example 2026-11-25T13:00:00.000Z
       */
      ended_at: string | null;
    };
    UsageDispute: {
      id: string;
      /** @enum {string} */
      object: 'usage_dispute';
      account_id: string;
      event_id: string;
      reason: string;
      /** @enum {string} */
      status: 'open' | 'resolved';
      /** @enum {string|null} */
      outcome: 'void' | 'reject' | null;
      note: string | null;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      resolved_at: string | null;
    };
    Transfer: {
      id: string;
      /** @enum {string} */
      object: 'transfer';
      code: string;
      debit_account_id: string;
      credit_account_id: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
      metadata: {
        [key: string]: unknown;
      } | null;
      /** @description For a usage billing transfer: the hour and the usage it bills */
      usage?: {
        account_id: string;
        /**
         * @description UTC time, ISO 8601
         * @example 2026-11-25T13:00:00.000Z
         */
        hour: string;
        billed: {
          api_key_id: string | null;
          model: string;
          /**
           * @description Credits as a decimal string, never a JSON number
           * @example 1500
           */
          credits: string;
          /**
           * @description UTC time, ISO 8601
           * @example 2026-11-25T13:00:00.000Z
           */
          billed_at: string;
        }[];
        groups: {
          api_key_id: string | null;
          model: string;
          events: number;
          quantity: string;
          /**
           * @description Credits as a decimal string, never a JSON number
           * @example 1500
           */
          credits: string;
        }[];
        /** @description The usage records query of that hour */
        records: string;
      };
      /** @description For a give-back: the void it returns */
      void?: {
        event_id: string;
        reason: string;
        /**
         * @description UTC time, ISO 8601
         * @example 2026-11-25T13:00:00.000Z
         */
        voided_at: string;
      };
    };
    UsageVoid: {
      id: string;
      /** @enum {string} */
      status: 'voided';
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      voided_at: string;
      reason: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      billed_credits: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      reversed_at: string | null;
      reversal_transfer_id: string | null;
    };
    UsageBucket: {
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      start: string;
      model?: string;
      api_key_id?: string | null;
      events: number;
      quantity: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
    };
    UsageRecord: {
      id: string;
      /** @enum {string} */
      status: 'accepted' | 'voided';
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      voided_at?: string;
      void_reason?: string;
      account_id: string;
      api_key_id: string | null;
      model: string;
      /** @description The quantity, or the sum of the quantities of a model priced by several dimensions */
      quantity: string;
      /**
       * @description Quantities by dimension
       * @example {
       *       "input_tokens": "1200",
       *       "output_tokens": "350"
       *     }
       */
      quantities: {
        [key: string]: string;
      };
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      timestamp: string;
      properties: {
        [key: string]: unknown;
      } | null;
      /** @description The entry it was rated at: `2.5` (credits per unit) or `input_tokens=2.5/1000000;...`; null when the event carried its own credits */
      unit_price: string | null;
      price_version_id: string | null;
      /** @description The contract that rated it, if any */
      contract_id: string | null;
      /** @description How it was rated: the sum of quantity x credits / per, rounded once half up */
      rating:
        | {
            dimension: string;
            quantity: string;
            credits: string;
            per: string;
          }[]
        | null;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      billed_at: string | null;
      billing_transfer_id: string | null;
    };
    BillingRun: {
      hours: number;
      accounts: number;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      through: string;
      failed_accounts: {
        account_id: string;
        error: string;
      }[];
    };
    Hold: {
      id: string;
      /** @enum {string} */
      object: 'hold';
      account_id: string;
      /** @enum {string} */
      status: 'pending' | 'captured' | 'released' | 'expired';
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      credits: string;
      /**
       * @description Credits as a decimal string, never a JSON number
       * @example 1500
       */
      captured: string | null;
      reference: string | null;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      expires_at: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
    };
    PriceVersion: {
      id: string;
      /** @enum {string} */
      object: 'price_version';
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      effective_at: string;
      models: components['schemas']['RateEntry'][];
      note: string | null;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
    };
    RateEntry: {
      model: string;
      dimensions: {
        /** @example input_tokens */
        name: string;
        /** @example 2.5 */
        credits: string;
        /** @example 1000000 */
        per: string;
        whole: boolean;
      }[];
    };
    RateEntryInput: {
      model: string;
      credits?: string;
      per?: string;
      whole?: boolean;
      dimensions?: {
        name: string;
        credits: string;
        per?: string;
        whole?: boolean;
      }[];
    };
    Prices: {
      version_id: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      effective_at: string;
      account_id: string | null;
      contract_id: string | null;
      models: components['schemas']['RateEntry'][];
    };
    Contract: {
      id: string;
      /** @enum {string} */
      object: 'contract';
      account_id: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      starts_at: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      ends_at: string | null;
      discount_percent: string | null;
      models: components['schemas']['RateEntry'][];
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
    };
    ExchangeRates: {
      /** @example 2026-12-07 */
      date: string;
      /** @example EUR */
      base: string;
      /**
       * @example {
       *       "USD": "1.0843"
       *     }
       */
      rates: {
        [key: string]: string;
      };
    };
    WebhookEndpointWithSecret: components['schemas']['WebhookEndpoint'] & {
      /** @description The signing secret: shown in this answer only */
      secret: string;
    };
    WebhookEndpoint: {
      id: string;
      /** @enum {string} */
      object: 'webhook_endpoint';
      url: string;
      events: string[];
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
    };
    WebhookDelivery: {
      id: string;
      event_id: string;
      endpoint_id: string;
      status: string;
      attempts: number;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      next_attempt_at: string | null;
      last_status_code: number | null;
      last_error: string | null;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      delivered_at: string | null;
    };
    OperatorToken: {
      id: string;
      /** @enum {string} */
      object: 'operator_token';
      name: string;
      scopes: ('admin' | 'ingest' | 'read')[];
      hint: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      created_at: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      revoked_at: string | null;
    };
    AuditLine: {
      id: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      at: string;
      actor: {
        kind: string;
        token_id: string | null;
        name: string;
      };
      action: string;
      target_id: string | null;
      request_id: string | null;
      ip: string | null;
    };
    DeferredRevenue: {
      /** @example 2026-11 */
      month: string;
      /**
       * @description ISO 4217
       * @example EUR
       */
      currency: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      opening: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      purchased: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      consumed: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      refunded: string;
      /**
       * @description US dollars as a decimal string with cents
       * @example 15.00
       */
      expired: string;
      /**
       * @description opening + purchased - consumed - refunded - expired
       * @example 15.00
       */
      closing: string;
    };
    PortalLink: {
      /** @description Opens the portal once */
      url: string;
      /**
       * @description UTC time, ISO 8601
       * @example 2026-11-25T13:00:00.000Z
       */
      expires_at: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
