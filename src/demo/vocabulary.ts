/**
 * The words the demo organisation is made of: an online retailer with its own payments, fulfilment
 * and platform teams. Plain data, read by `generateOrganisation`; the seed decides which of these
 * are used and how they connect.
 */
import type { ComponentRole, ComponentType } from './model.js';

/** A component a system always has, with a fixed name (platform hubs, design system, portals). */
export interface CoreComponentTemplate {
  name: string;
  type: ComponentType;
  role: ComponentRole;
  /** The stem its APIs and resources are named after (`auth` for `auth-service`). */
  noun: string;
  /** How strongly other components are drawn to depend on it (a hub when large; 0: never). */
  hub?: number;
  description: string;
}

export interface SystemTemplate {
  name: string;
  title: string;
  description: string;
  /** Business nouns: each becomes `<noun>-service`, and may get workers, clients and a database. */
  nouns: string[];
  /** Website component names, the first one always present. */
  websites?: string[];
  /** Whether the system has a backend-for-frontend `<system>-bff`. */
  bff?: boolean;
  core?: CoreComponentTemplate[];
  /** Business-critical: its services lean tier 1. */
  critical?: boolean;
  /** Compliance tags every component of the system carries. */
  tags?: string[];
  /** Team names for the system, the first one owns it. */
  teams: string[];
  /**
   * For platform systems: how strongly other services are drawn to call its `<noun>-service`s
   * (default 0.6); 0 for tooling nobody calls at run time (scanners, build services).
   */
  callWeight?: number;
}

export interface DepartmentTemplate {
  name: string;
  title: string;
  description: string;
  domain: { name: string; title: string; description: string };
  /** Order in the call graph: a department's services may call those of later ones. */
  rank: number;
  /** Its services are shared platform services (the layer below every domain service). */
  platform: boolean;
  /** How many of the organisation's teams it gets, relatively. */
  weight: number;
  /** Office time zones, with weights. */
  timezones: readonly (readonly [string, number])[];
  /** Languages its services are written in, with weights. */
  languages: readonly (readonly [string, number])[];
  systems: SystemTemplate[];
}

export const COMPANY = {
  name: 'brightwave',
  displayName: 'Brightwave',
  githubOrg: 'brightwave',
  emailDomain: 'demo.pave.dev',
  runbooks: 'https://runbooks.demo.pave.dev',
  dashboards: 'https://grafana.demo.pave.dev',
  infraNamespace: 'infra',
} as const;

const JVM_HEAVY = [
  ['java', 4],
  ['kotlin', 3],
  ['go', 2],
  ['typescript', 1],
] as const;
const GO_HEAVY = [
  ['go', 5],
  ['rust', 1],
  ['java', 1],
  ['typescript', 1],
  ['python', 1],
] as const;

/** Every department the demo can have. `generateOrganisation` picks 1 to 7 of them. */
export const DEPARTMENTS: readonly DepartmentTemplate[] = [
  {
    name: 'customer-experience',
    title: 'Customer Experience',
    description: 'Accounts, loyalty, support and every message a customer receives.',
    domain: {
      name: 'customer',
      title: 'Customer',
      description: 'Who our customers are, how we talk to them and how we help them.',
    },
    rank: 3,
    platform: false,
    weight: 0.9,
    timezones: [
      ['Europe/London', 3],
      ['Europe/Lisbon', 1],
      ['America/New_York', 1],
    ],
    languages: [
      ['typescript', 4],
      ['kotlin', 2],
      ['java', 1],
      ['go', 1],
    ],
    systems: [
      {
        name: 'accounts',
        title: 'Accounts',
        description: 'Customer accounts, profiles, preferences and address books.',
        nouns: ['account', 'profile', 'preference', 'address-book'],
        websites: ['account-web'],
        bff: true,
        critical: true,
        tags: ['gdpr'],
        teams: ['accounts', 'customer-profile'],
      },
      {
        name: 'support',
        title: 'Customer Support',
        description: 'Tickets, live chat and the tools our support agents work in.',
        nouns: ['ticket', 'chat', 'agent-routing', 'macro'],
        websites: ['agent-desk', 'support-widget'],
        bff: true,
        teams: ['support-tools', 'live-chat'],
      },
      {
        name: 'loyalty',
        title: 'Loyalty',
        description: 'Points, tiers and rewards for returning customers.',
        nouns: ['loyalty', 'points', 'reward', 'referral'],
        websites: ['rewards-web'],
        teams: ['loyalty', 'referrals'],
      },
      {
        name: 'messaging',
        title: 'Customer Messaging',
        description: 'E-mail, SMS and push notifications, and the campaigns that send them.',
        nouns: ['notification', 'email', 'sms', 'push', 'campaign'],
        websites: ['campaign-studio'],
        teams: ['messaging', 'campaigns'],
      },
      {
        name: 'help-centre',
        title: 'Help Centre',
        description: 'Self-service help articles, FAQs and the contact form.',
        nouns: ['article', 'faq', 'contact', 'feedback'],
        websites: ['help-centre-web'],
        teams: ['help-centre'],
      },
    ],
  },
  {
    name: 'commerce',
    title: 'Commerce',
    description: 'Everything a customer does between landing on the shop and placing an order.',
    domain: {
      name: 'shopping',
      title: 'Shopping',
      description: 'Browsing, search, cart and checkout: the path from visit to order.',
    },
    rank: 0,
    platform: false,
    weight: 1.4,
    timezones: [
      ['Europe/London', 3],
      ['Europe/Berlin', 2],
      ['Asia/Kolkata', 1],
    ],
    languages: JVM_HEAVY,
    systems: [
      {
        name: 'storefront',
        title: 'Storefront',
        description: 'The shop customers see: home page, product pages and navigation.',
        nouns: ['storefront', 'product-page', 'navigation', 'content'],
        websites: ['storefront-web', 'storefront-mobile-web'],
        bff: true,
        critical: true,
        teams: ['storefront', 'web-performance', 'content-experience'],
      },
      {
        name: 'checkout',
        title: 'Checkout',
        description: 'Checkout and order placement, from cart to confirmed order.',
        nouns: ['checkout', 'order', 'promotion', 'tax', 'address-validation'],
        websites: ['checkout-web'],
        bff: true,
        critical: true,
        teams: ['checkout', 'orders', 'checkout-experience'],
      },
      {
        name: 'product-catalog',
        title: 'Product Catalog',
        description: 'Products, categories, media and availability as the shop shows them.',
        nouns: ['product', 'category', 'media', 'availability', 'attribute'],
        websites: ['merchandising-console'],
        critical: true,
        teams: ['product-data', 'merchandising'],
      },
      {
        name: 'search',
        title: 'Search',
        description: 'Product search, autocomplete and ranking.',
        nouns: ['search', 'autocomplete', 'ranking', 'synonym'],
        critical: true,
        teams: ['search', 'search-relevance'],
      },
      {
        name: 'cart',
        title: 'Cart',
        description: 'Shopping carts, wishlists and saved items.',
        nouns: ['cart', 'wishlist', 'saved-item', 'cart-recovery'],
        websites: ['wishlist-web'],
        teams: ['cart'],
      },
      {
        name: 'pricing',
        title: 'Pricing',
        description: 'Prices, discounts and coupons.',
        nouns: ['pricing', 'discount', 'coupon', 'price-rule'],
        websites: ['pricing-admin'],
        teams: ['pricing', 'promotions'],
      },
      {
        name: 'reviews',
        title: 'Reviews',
        description: 'Product reviews, ratings and questions, with their moderation.',
        nouns: ['review', 'rating', 'moderation', 'question'],
        teams: ['reviews'],
      },
    ],
  },
  {
    name: 'fulfilment',
    title: 'Fulfilment',
    description: 'Getting orders from the warehouse to the customer, and back again.',
    domain: {
      name: 'fulfilment',
      title: 'Fulfilment',
      description: 'Stock, warehouses, shipping, tracking and returns.',
    },
    rank: 1,
    platform: false,
    weight: 1,
    timezones: [
      ['Europe/Berlin', 3],
      ['Europe/Warsaw', 2],
      ['America/Chicago', 1],
    ],
    languages: [
      ['java', 4],
      ['go', 3],
      ['python', 1],
      ['typescript', 1],
    ],
    systems: [
      {
        name: 'inventory',
        title: 'Inventory',
        description: 'Stock levels, reservations and replenishment.',
        nouns: ['inventory', 'reservation', 'replenishment', 'supplier'],
        critical: true,
        teams: ['inventory', 'supply-planning'],
      },
      {
        name: 'warehouse',
        title: 'Warehouse',
        description: 'Picking, packing and putaway in our warehouses.',
        nouns: ['pick-list', 'packing', 'putaway', 'bin-location'],
        websites: ['warehouse-console'],
        teams: ['warehouse', 'warehouse-automation'],
      },
      {
        name: 'shipping',
        title: 'Shipping',
        description: 'Carriers, labels, rates and shipments.',
        nouns: ['shipment', 'carrier', 'label', 'rate-quote'],
        critical: true,
        teams: ['shipping', 'carrier-integrations'],
      },
      {
        name: 'tracking',
        title: 'Order Tracking',
        description: 'Where an order is and when it will arrive.',
        nouns: ['tracking', 'delivery-event', 'eta', 'carrier-webhook'],
        websites: ['tracking-web'],
        bff: true,
        teams: ['tracking'],
      },
      {
        name: 'returns',
        title: 'Returns',
        description: 'Returns, exchanges and restocking.',
        nouns: ['return', 'exchange', 'restock', 'inspection'],
        websites: ['returns-web'],
        teams: ['returns'],
      },
      {
        name: 'last-mile',
        title: 'Last Mile',
        description: 'Routes, drivers and delivery slots for our own fleet.',
        nouns: ['route', 'driver', 'dispatch', 'delivery-slot'],
        websites: ['driver-app-web'],
        bff: true,
        teams: ['last-mile', 'fleet'],
      },
    ],
  },
  {
    name: 'payments',
    title: 'Payments',
    description: 'Taking money, paying it out and accounting for every cent.',
    domain: {
      name: 'payments',
      title: 'Payments',
      description: 'Payment processing, billing, fraud, payouts and the ledger.',
    },
    rank: 2,
    platform: false,
    weight: 1,
    timezones: [
      ['Europe/London', 2],
      ['America/New_York', 2],
      ['Europe/Dublin', 1],
    ],
    languages: JVM_HEAVY,
    systems: [
      {
        name: 'payment-processing',
        title: 'Payment Processing',
        description: 'Authorising and capturing card and wallet payments.',
        nouns: ['payment', 'card-vault', 'authorisation', 'payment-method'],
        critical: true,
        tags: ['pci'],
        teams: ['payments-core', 'payment-methods'],
      },
      {
        name: 'ledger',
        title: 'Ledger',
        description: 'The double-entry ledger and reconciliation with the banks.',
        nouns: ['ledger', 'journal', 'balance', 'reconciliation'],
        critical: true,
        tags: ['sox'],
        teams: ['ledger', 'reconciliation'],
      },
      {
        name: 'fraud',
        title: 'Fraud Prevention',
        description: 'Fraud scoring, risk rules and chargebacks.',
        nouns: ['fraud-score', 'risk-rule', 'chargeback', 'device-fingerprint'],
        websites: ['fraud-review-console'],
        critical: true,
        teams: ['fraud', 'risk'],
      },
      {
        name: 'billing',
        title: 'Billing',
        description: 'Invoices, subscriptions and dunning for our membership plans.',
        nouns: ['invoice', 'subscription', 'dunning', 'plan'],
        websites: ['billing-portal'],
        bff: true,
        tags: ['sox'],
        teams: ['billing', 'subscriptions'],
      },
      {
        name: 'payouts',
        title: 'Payouts',
        description: 'Settlement and payouts to marketplace sellers.',
        nouns: ['payout', 'settlement', 'seller-balance', 'bank-transfer'],
        tags: ['pci'],
        teams: ['payouts'],
      },
      {
        name: 'wallet',
        title: 'Wallet',
        description: 'Gift cards, store credit and refunds.',
        nouns: ['wallet', 'gift-card', 'store-credit', 'refund'],
        websites: ['gift-card-web'],
        teams: ['wallet'],
      },
    ],
  },
  {
    name: 'data',
    title: 'Data & Insights',
    description: 'Analytics, experimentation, recommendations and machine learning.',
    domain: {
      name: 'insights',
      title: 'Insights',
      description: 'What our data tells us, and the models that act on it.',
    },
    rank: 4,
    platform: false,
    weight: 0.8,
    timezones: [
      ['Europe/Amsterdam', 2],
      ['America/Los_Angeles', 2],
      ['Asia/Kolkata', 1],
    ],
    languages: [
      ['python', 5],
      ['scala', 2],
      ['go', 1],
      ['java', 1],
    ],
    systems: [
      {
        name: 'recommendations',
        title: 'Recommendations',
        description: 'Personalised and similar-item recommendations.',
        nouns: ['recommendation', 'similar-item', 'personalisation', 'feature-store'],
        critical: true,
        teams: ['recommendations', 'personalisation'],
      },
      {
        name: 'analytics',
        title: 'Analytics',
        description: 'Clickstream collection, sessions and product analytics.',
        nouns: ['event-collector', 'clickstream', 'sessionizer', 'attribution'],
        websites: ['insights-dashboard'],
        teams: ['analytics', 'tracking-data'],
      },
      {
        name: 'experimentation',
        title: 'Experimentation',
        description: 'A/B tests: assignment, exposure and results.',
        nouns: ['experiment', 'assignment', 'exposure', 'metric'],
        websites: ['experiment-console'],
        teams: ['experimentation'],
      },
      {
        name: 'data-warehouse',
        title: 'Data Warehouse',
        description: 'Ingestion, transformation and exports of the warehouse.',
        nouns: ['ingestion', 'transform', 'export', 'lineage'],
        teams: ['data-engineering', 'data-quality'],
      },
      {
        name: 'ml-platform',
        title: 'ML Platform',
        description: 'Model training, registry and online inference.',
        nouns: ['model-registry', 'training', 'inference', 'feature-pipeline'],
        teams: ['ml-platform', 'ml-serving'],
      },
    ],
  },
  {
    name: 'platform',
    title: 'Platform Engineering',
    description: 'The paved roads every team builds on: edge, runtime, events, observability.',
    domain: {
      name: 'platform',
      title: 'Platform',
      description: 'Shared infrastructure and paved roads for every product team.',
    },
    rank: 5,
    platform: true,
    weight: 1.1,
    timezones: [
      ['Europe/London', 2],
      ['Europe/Berlin', 1],
      ['America/New_York', 1],
      ['Asia/Kolkata', 1],
    ],
    languages: GO_HEAVY,
    systems: [
      {
        name: 'edge',
        title: 'Edge',
        description: 'The API gateway, edge routing and rate limiting in front of every service.',
        nouns: ['rate-limit', 'bot-detection', 'geo-routing', 'tls-certificate', 'cache-rule'],
        core: [
          {
            name: 'api-gateway',
            type: 'service',
            role: 'gateway',
            noun: 'api-gateway',
            hub: 8,
            description: 'The public API gateway: routing, authentication and quotas for every client.',
          },
          {
            name: 'edge-router',
            type: 'service',
            role: 'gateway',
            noun: 'edge-router',
            hub: 2,
            description: 'Routes traffic between regions and to the right cluster.',
          },
        ],
        critical: true,
        teams: ['edge', 'traffic'],
      },
      {
        name: 'developer-platform',
        title: 'Developer Platform',
        description: 'The developer portal, the service chassis and the deployment pipeline.',
        nouns: ['build', 'artifact', 'scaffolder'],
        callWeight: 0,
        core: [
          {
            name: 'developer-portal',
            type: 'website',
            role: 'frontend',
            noun: 'developer-portal',
            description: 'The developer portal: catalog, golden paths and docs.',
          },
          {
            name: 'service-chassis',
            type: 'library',
            role: 'library',
            noun: 'service-chassis',
            hub: 8,
            description: 'The paved-road service library: logging, metrics, tracing, health checks.',
          },
          {
            name: 'deploy-service',
            type: 'service',
            role: 'platform',
            noun: 'deploy',
            hub: 0,
            description: 'Runs deployments to every environment and records them.',
          },
        ],
        teams: ['developer-experience', 'delivery-platform'],
      },
      {
        name: 'event-platform',
        title: 'Event Platform',
        description: 'The event bus, its schema registry and the outbox relay.',
        nouns: ['outbox', 'dead-letter', 'stream', 'event-replay', 'event-archive'],
        core: [
          {
            name: 'event-bus',
            type: 'service',
            role: 'platform',
            noun: 'event-bus',
            hub: 6,
            description: 'The managed event bus every asynchronous integration goes through.',
          },
          {
            name: 'schema-registry',
            type: 'service',
            role: 'platform',
            noun: 'schema-registry',
            hub: 2,
            description: 'Schemas of every event on the bus, with compatibility checks.',
          },
        ],
        critical: true,
        teams: ['event-platform', 'streaming'],
      },
      {
        name: 'runtime-config',
        title: 'Runtime Configuration',
        description: 'Feature flags and configuration at run time.',
        nouns: ['rollout', 'secret-sync', 'kill-switch', 'remote-config'],
        core: [
          {
            name: 'feature-flags',
            type: 'service',
            role: 'platform',
            noun: 'feature-flags',
            hub: 5,
            description: 'Feature flags and percentage rollouts.',
          },
          {
            name: 'config-service',
            type: 'service',
            role: 'platform',
            noun: 'config',
            hub: 3,
            description: 'Dynamic configuration for every service.',
          },
        ],
        teams: ['runtime', 'release-engineering'],
      },
      {
        name: 'observability',
        title: 'Observability',
        description: 'Metrics, logs, traces and alert routing.',
        nouns: ['trace', 'alert', 'log-search', 'uptime', 'slo-report'],
        callWeight: 0.2,
        websites: ['status-page'],
        core: [
          {
            name: 'metrics-gateway',
            type: 'service',
            role: 'platform',
            noun: 'metrics',
            hub: 3,
            description: 'Receives and forwards every service metric.',
          },
        ],
        teams: ['observability', 'sre'],
      },
      {
        name: 'web-platform',
        title: 'Web Platform',
        description: 'The design system and the shared front-end tooling.',
        nouns: ['image-resize', 'asset', 'cdn-purge', 'web-vitals'],
        core: [
          {
            name: 'design-system',
            type: 'library',
            role: 'library',
            noun: 'design-system',
            hub: 8,
            description: 'The design system: components, tokens and icons for every website.',
          },
        ],
        teams: ['web-platform', 'design-systems'],
      },
      {
        name: 'data-stores',
        title: 'Data Stores',
        description: 'Managed databases, caches and backups.',
        nouns: ['backup', 'blob-store', 'schema-migration', 'snapshot'],
        callWeight: 0.3,
        core: [
          {
            name: 'db-proxy',
            type: 'service',
            role: 'platform',
            noun: 'db-proxy',
            hub: 2,
            description: 'Connection pooling and failover in front of the shared databases.',
          },
        ],
        teams: ['data-stores', 'storage'],
      },
    ],
  },
  {
    name: 'security',
    title: 'Identity & Security',
    description: 'Who customers, employees and services are, and what they may do.',
    domain: {
      name: 'identity',
      title: 'Identity',
      description: 'Authentication, authorisation, keys and security tooling.',
    },
    rank: 6,
    platform: true,
    weight: 0.7,
    timezones: [
      ['Europe/London', 2],
      ['America/New_York', 1],
      ['Europe/Berlin', 1],
    ],
    languages: GO_HEAVY,
    systems: [
      {
        name: 'identity',
        title: 'Identity',
        description: 'Authentication, tokens and sessions for customers and services.',
        nouns: ['session', 'sso', 'user-directory', 'service-account', 'oauth-client'],
        core: [
          {
            name: 'auth-service',
            type: 'service',
            role: 'platform',
            noun: 'auth',
            hub: 9,
            description: 'Authenticates customers and services and issues their tokens.',
          },
          {
            name: 'token-service',
            type: 'service',
            role: 'platform',
            noun: 'token',
            hub: 4,
            description: 'Mints, refreshes and revokes access tokens.',
          },
        ],
        critical: true,
        teams: ['identity', 'authentication'],
      },
      {
        name: 'access-control',
        title: 'Access Control',
        description: 'Roles, permissions, policies and the audit log.',
        nouns: ['role', 'policy', 'access-review', 'delegation'],
        core: [
          {
            name: 'permission-service',
            type: 'service',
            role: 'platform',
            noun: 'permission',
            hub: 4,
            description: 'Answers "may this principal do this?" for every service.',
          },
          {
            name: 'audit-log',
            type: 'service',
            role: 'platform',
            noun: 'audit',
            hub: 3,
            description: 'The tamper-evident audit log of security-relevant actions.',
          },
        ],
        teams: ['access-control'],
      },
      {
        name: 'customer-identity',
        title: 'Customer Identity',
        description: 'Sign-up, login, MFA and consent for customers.',
        nouns: ['signup', 'mfa', 'consent', 'password-reset'],
        websites: ['login-web'],
        critical: true,
        tags: ['gdpr'],
        teams: ['customer-identity'],
      },
      {
        name: 'key-management',
        title: 'Key Management',
        description: 'Encryption keys, certificates and secrets.',
        nouns: ['key', 'certificate', 'secret-store', 'key-rotation'],
        callWeight: 0.3,
        teams: ['key-management'],
      },
      {
        name: 'security-tooling',
        title: 'Security Tooling',
        description: 'Vulnerability scanning and dependency audits for every repository.',
        nouns: ['vulnerability', 'dependency-audit', 'sast'],
        callWeight: 0,
        websites: ['security-dashboard'],
        teams: ['appsec', 'security-tooling'],
      },
    ],
  },
];

/** Which departments to use first: the ones the rest of the graph leans on. */
export const ESSENTIAL_DEPARTMENTS = ['commerce', 'platform', 'payments', 'security'] as const;

/** Suffixes that tell a system's copies apart when an organisation needs more systems than listed. */
export const VARIANTS = ['emea', 'apac', 'americas', 'b2b', 'marketplace', 'wholesale', 'partner', 'mobile'];

/** Background jobs a business noun can have, as `<noun>-<suffix>`. */
export const WORKER_SUFFIXES = [
  'worker',
  'consumer',
  'scheduler',
  'sync',
  'indexer',
  'exporter',
  'processor',
];

/** Nouns whose services keep files: they get an object-store bucket. */
export const BUCKET_NOUNS = new Set([
  'media',
  'label',
  'export',
  'invoice',
  'artifact',
  'backup',
  'blob-store',
  'content',
  'training',
  'asset',
  'ingestion',
]);

export const DATABASE_ENGINES = [
  ['postgres', 6],
  ['mysql', 2],
  ['dynamodb', 2],
  ['mongodb', 1],
] as const;

export const QUEUE_ENGINES = [
  ['kafka', 4],
  ['sqs', 2],
  ['rabbitmq', 1],
] as const;

/** Splits a comma-separated list written over several lines. */
function list(text: string): string[] {
  return text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word.length > 0);
}

/** Given names, some with accents (the User name is their ASCII form). */
export const FIRST_NAMES = list(`
  Aaliyah, Abdul, Ada, Adebayo, Aditi, Agnieszka, Ahmed, Aiko, Alejandro, Alice, Amara, Amelia, Ana,
  Andrei, Anika, Anna, Arjun, Astrid, Ayesha, Beatriz, Ben, Bogdan, Carlos, Caroline, Chen, Chiara,
  Chloé, Chidi, Daniel, Dario, David, Deepa, Diego, Dmitri, Elena, Eli, Emeka, Emily, Emma, Eszter,
  Fatima, Felix, Fernando, Finn, Freya, Gabriel, Giulia, Grace, Hana, Hannah, Hassan, Heidi, Hiroshi,
  Ibrahim, Imani, Ines, Isabel, Ivan, Jakub, James, Jana, Javier, Jin, João, Jonas, Julia, Kai, Karim,
  Kateřina, Kavya, Kenji, Kofi, Lars, Laura, Leila, Leon, Li, Lucas, Lucía, Maya, Magnus, Malik, Marco,
  María, Marta, Mateo, Mei, Mohammed, Nadia, Naledi, Nikhil, Nina, Noah, Nour, Olga, Oliver, Omar,
  Oscar, Pablo, Patrick, Pedro, Priya, Rafael, Rahul, Rania, Ravi, Rosa, Ruth, Sakura, Samuel, Sara,
  Sebastian, Shreya, Siddharth, Sofia, Søren, Tariq, Tomasz, Valentina, Viktor, Wei, Yara, Yasmin,
  Yusuf, Zainab, Zoë
`);

/** Family names. */
export const LAST_NAMES = list(`
  Abara, Adeyemi, Ahmed, Alvarez, Andersen, Bakker, Banerjee, Becker, Bianchi, Brown, Carvalho, Chen,
  Costa, Dąbrowski, Das, Dubois, Eriksson, Evans, Fernández, Fischer, Fontaine, García, Gonzalez,
  Gupta, Haddad, Hansen, Hoffmann, Hughes, Ibrahim, Ivanova, Jansen, Johansson, Kaur, Kelly, Khan, Kim,
  Kowalski, Kumar, Larsen, Lee, Lindqvist, Lopez, Mahlangu, Martin, Mensah, Meyer, Moreau, Müller,
  Murphy, Nakamura, Navarro, Nguyen, Nielsen, Novak, Nowak, Obi, Okafor, Olsen, O'Brien, Owusu, Patel,
  Pereira, Petrov, Popescu, Quinn, Rahman, Ramos, Reddy, Rossi, Russo, Sato, Schmidt, Schneider, Silva,
  Singh, Smith, Sokolova, Suzuki, Svensson, Tanaka, Taylor, Thompson, Torres, Van Dijk, Varga, Wagner,
  Walsh, Wang, Weber, Williams, Wilson, Wójcik, Yamamoto, Yilmaz, Young, Zhang, Zhou, Zimmermann
`);

export const ENGINEER_TITLES = [
  ['Software Engineer', 4],
  ['Senior Software Engineer', 5],
  ['Staff Engineer', 1],
  ['Site Reliability Engineer', 1],
  ['Frontend Engineer', 1],
  ['QA Engineer', 1],
] as const;
