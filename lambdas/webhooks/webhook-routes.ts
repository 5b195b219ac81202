import type { EventType } from '../../core/events.js';
import {
  createWebhookBodySchema,
  deliveryListSchema,
  webhookDetailSchema,
  webhookListQuerySchema,
  webhookListSchema,
  webhookWithSecretSchema,
} from '../../core/schemas/webhooks.js';
import { ApiError } from '../api/responses.js';
import { type ApiRequest, defineRoutes } from '../api/route-types.js';
import { requireClient, seesClient } from '../api/token-scope.js';
import { WebhookError } from './errors.js';
import type { SubscriptionItem } from './subscriptions.js';
import { subscriptionView } from './subscriptions.js';
import { checkWebhookUrl } from './url-policy.js';
import type { WebhookServices } from './webhook-services.js';

/**
 * Webhook subscriptions (docs/events.md). A client token manages its own
 * client's subscriptions; an MSP token makes MSP-wide ones (every client's
 * events) or, with `clientId`, one client's. Another tenant's subscription
 * is 404, as if it did not exist.
 */
function webhooksOf(request: ApiRequest): WebhookServices {
  const { webhooks } = request.services;
  if (!webhooks) {
    throw new ApiError(
      503,
      'webhooks-not-configured',
      'this deployment has no webhook key secret',
    );
  }
  return webhooks;
}

/** The subscription, if the caller may see it; else 404. */
async function visible(request: ApiRequest) {
  const id = request.params.webhookId ?? '';
  const store = await webhooksOf(request).subscriptions();
  const item = await store.get(id);
  if (!item || !reaches(request.scope, item)) {
    throw new ApiError(404, 'webhook-not-found', `no webhook "${id}"`);
  }
  return { store, item };
}

function reaches(scope: ApiRequest['scope'], item: SubscriptionItem) {
  if (scope.kind === 'msp') return true;
  return item.clientId !== undefined && seesClient(scope, item.clientId);
}

async function createWebhook(request: ApiRequest) {
  const body = request.body as {
    url: string;
    eventTypes: EventType[];
    clientId?: string;
  };
  const { scope } = request;
  const clientId =
    scope.kind === 'client' ? scope.clientId : (body.clientId ?? undefined);
  if (body.clientId !== undefined) requireClient(scope, body.clientId);
  if (scope.kind === 'public') {
    throw new ApiError(401, 'unauthenticated', 'no verified token');
  }

  const webhooks = webhooksOf(request);
  const url = asApiError(() =>
    checkWebhookUrl(body.url, webhooks.settings.urlMode),
  );
  const store = await webhooks.subscriptions();
  const { item, secret } = await store.create(
    {
      ...(clientId === undefined ? {} : { clientId }),
      url: url.href,
      eventTypes: [...new Set(body.eventTypes)],
    },
    request.services.now(),
  );
  return {
    status: 201,
    body: { webhook: subscriptionView(item), secret },
    headers: { location: `/webhooks/${item.id}` },
  };
}

async function listWebhooks(request: ApiRequest) {
  const { scope } = request;
  const asked = (request.query as { clientId?: string }).clientId;
  if (asked !== undefined) requireClient(scope, asked);
  const owner = scope.kind === 'client' ? scope.clientId : asked;
  const store = await webhooksOf(request).subscriptions();
  const items = await store.list(owner);
  return {
    status: 200,
    body: { webhooks: items.map(subscriptionView) },
  };
}

async function getWebhook(request: ApiRequest) {
  const { item } = await visible(request);
  return { status: 200, body: { webhook: subscriptionView(item) } };
}

async function deleteWebhook(request: ApiRequest) {
  const { store, item } = await visible(request);
  await store.delete(item.id);
  return { status: 204, body: undefined };
}

async function rotateSecret(request: ApiRequest) {
  const { store, item } = await visible(request);
  const secret = await store.rotate(item, request.services.now());
  const rotated = (await store.get(item.id)) ?? item;
  return {
    status: 200,
    body: { webhook: subscriptionView(rotated), secret },
  };
}

async function listDeliveries(request: ApiRequest) {
  const { item } = await visible(request);
  const deliveries = await webhooksOf(request).log.list(item.id);
  return { status: 200, body: { deliveries } };
}

function asApiError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof WebhookError) {
      throw new ApiError(error.status, error.code, error.message);
    }
    throw error;
  }
}

const one = '/webhooks/{webhookId}';

export const routes = defineRoutes([
  {
    method: 'POST',
    path: '/webhooks',
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to events; the secret is shown once',
    tag: 'webhooks',
    body: createWebhookBodySchema,
    responses: {
      201: {
        description: 'created',
        schema: webhookWithSecretSchema,
        headers: ['location'],
      },
    },
    handle: createWebhook,
  },
  {
    method: 'GET',
    path: '/webhooks',
    operationId: 'listWebhooks',
    summary: "The caller's subscriptions (an MSP token: MSP-wide or ?clientId)",
    tag: 'webhooks',
    query: webhookListQuerySchema,
    responses: { 200: { description: 'webhooks', schema: webhookListSchema } },
    handle: listWebhooks,
  },
  {
    method: 'GET',
    path: one,
    operationId: 'getWebhook',
    summary: 'One subscription',
    tag: 'webhooks',
    responses: { 200: { description: 'webhook', schema: webhookDetailSchema } },
    handle: getWebhook,
  },
  {
    method: 'DELETE',
    path: one,
    operationId: 'deleteWebhook',
    summary: 'Stop deliveries and remove the subscription',
    tag: 'webhooks',
    responses: { 204: { description: 'deleted' } },
    handle: deleteWebhook,
  },
  {
    method: 'POST',
    path: `${one}/rotate-secret`,
    operationId: 'rotateWebhookSecret',
    summary: 'A new secret; the old one also signs for 24 hours',
    tag: 'webhooks',
    responses: {
      200: { description: 'rotated', schema: webhookWithSecretSchema },
    },
    handle: rotateSecret,
  },
  {
    method: 'GET',
    path: `${one}/deliveries`,
    operationId: 'listWebhookDeliveries',
    summary: 'Delivery attempts, newest first (status, latency, error)',
    tag: 'webhooks',
    responses: {
      200: { description: 'deliveries', schema: deliveryListSchema },
    },
    handle: listDeliveries,
  },
]);
