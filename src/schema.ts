import type { ColumnType, Generated, Selectable } from 'kysely';

/** Row types of the tables created by `migrations/`. Kysely checks every query against them. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

interface DepartmentTable {
  id: string;
  name_de: string;
  name_en: string;
  created_at: Generated<Date>;
}

interface StaffUserTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  email: string | null;
  /** Null for staff who sign in only through the city's directory (single sign-on). */
  password_hash: string | null;
  totp_secret: string;
  totp_last_step: ColumnType<string, string | number | undefined, string | number>;
  active: Generated<boolean>;
  failed_sign_ins: Generated<number>;
  locked_until: Date | null;
  created_at: Generated<Date>;
  sso_provider: ColumnType<string | null, string | null | undefined, string | null>;
  sso_subject: ColumnType<string | null, string | null | undefined, string | null>;
}

export type StaffRole = 'clerk' | 'supervisor' | 'department_admin' | 'system_admin';

interface RoleGrantTable {
  staff_user_id: string;
  department_id: string;
  role: StaffRole;
}

export type SessionLevel = 'none' | 'basic' | 'substantial' | 'high';

interface SessionTable {
  id_hash: string;
  kind: 'visitor' | 'citizen' | 'staff';
  staff_user_id: string | null;
  citizen_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The identity level this session reached: basic (account), substantial/high (verified). */
  level: ColumnType<SessionLevel, SessionLevel | undefined, SessionLevel>;
  level_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  second_factor_done: Generated<boolean>;
  data: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
}

interface DraftTable {
  id: Generated<string>;
  session_id_hash: string | null;
  /** Set for a signed-in citizen: the draft is theirs, in any of their sessions. */
  citizen_id: ColumnType<string | null, string | null | undefined, string | null>;
  service_id: string;
  data: Json<Record<string, string | string[]>>;
  form_token: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

interface CaseTable {
  id: Generated<string>;
  reference: string;
  access_code_hash: string;
  service_id: string;
  service_version: number;
  state: string;
  department_id: string;
  assignee_id: string | null;
  applicant: Json<Record<string, unknown>>;
  form_data: Json<Record<string, unknown>>;
  /** The account that owns the case (submitted signed in, or claimed later); null for anonymous. */
  citizen_id: ColumnType<string | null, string | null | undefined, string | null>;
  submitted_at: Generated<Date>;
  due_at: Date | null;
  updated_at: Generated<Date>;
  version: Generated<number>;
  /** When the case reached a final state of its process; retention runs from here (migration 0009). */
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Legal hold: while set, retention never erases the case (ADR 0015). The reason is internal. */
  legal_hold_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  legal_hold_by: ColumnType<string | null, string | null | undefined, string | null>;
  legal_hold_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set when retention erased the case's documents and personal data; the row stays as a stub. */
  erased_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

interface CaseEventTable {
  id: Generated<string>;
  case_id: string;
  at: Generated<Date>;
  kind: 'submitted' | 'transition' | 'note' | 'assignment' | 'escalation';
  transition_id: string | null;
  from_state: string | null;
  to_state: string | null;
  actor_type: 'applicant' | 'staff' | 'system';
  actor_id: string | null;
  public: boolean;
  payload: Json<Record<string, unknown>>;
}

interface IdempotencyKeyTable {
  scope: string;
  key: string;
  case_id: string;
  response: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

interface AuditLogTable {
  id: ColumnType<string, number | string, never>;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  case_id: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

interface AuditPendingTable {
  id: Generated<string>;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  case_id: string | null;
  details: Json<Record<string, unknown>>;
}

/** Sealed and pending entries together, in no particular order (a view). */
interface AuditEntriesView {
  chain_id: string | null;
  pending_id: string | null;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  case_id: string | null;
  details: Record<string, unknown>;
}

interface AuditChainHeadTable {
  singleton: Generated<boolean>;
  last_id: ColumnType<string, never, number | string>;
  last_hash: string;
}

interface MailOutboxTable {
  id: Generated<string>;
  dedupe_key: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  transport: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
  /** The case the mail is about, if any (migration 0011): retention erases its address with the case. */
  case_id: ColumnType<string | null, string | null | undefined, string | null>;
}

interface CitizenTable {
  id: Generated<string>;
  email: string | null;
  display_name: string | null;
  created_at: Generated<Date>;
  last_sign_in_at: Date | null;
}

interface CitizenPasskeyTable {
  credential_id: string;
  citizen_id: string;
  public_key: Uint8Array;
  sign_count: ColumnType<string, string | number | undefined, string | number>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  device_type: string | null;
  backed_up: Generated<boolean>;
  label: string | null;
  created_at: Generated<Date>;
  last_used_at: Date | null;
}

interface EmailSignInLinkTable {
  token_hash: string;
  email: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}

interface VerifiedIdentityTable {
  id: Generated<string>;
  citizen_id: string;
  provider: string;
  subject: string;
  level: 'substantial' | 'high';
  claims: Json<Record<string, unknown>>;
  verified_at: Date;
}

/** One stored version of a document (migration 0006, ADR 0012). */
export interface DocumentTable {
  id: Generated<string>;
  /** Shared by every version of the same document. */
  document_id: string;
  version: number;
  case_id: string | null;
  file_name: string;
  content_type: string;
  /** Plaintext bytes. */
  size: ColumnType<string, number | string, never>;
  /** Hex SHA-256 of the plaintext. */
  sha256: string;
  /** Hex SHA-256 of the stored (encrypted) blob. */
  blob_sha256: string;
  blob_key: string;
  wrapped_key: Uint8Array;
  master_key_id: string;
  created_by_type: 'applicant' | 'staff' | 'system';
  created_by_id: string | null;
  created_at: Generated<Date>;
  /** Set while the document belongs to an unsent form (migration 0010); null once it is on a case. */
  draft_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The form field it was uploaded to; null for staff uploads. */
  field_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** A staff member's label for the document. */
  title: ColumnType<string | null, string | null | undefined, string | null>;
  /** The Postfach message it is attached to (migration 0012). */
  message_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A Postfach message between the office and the applicant (migration 0012). */
interface CaseMessageTable {
  id: Generated<string>;
  case_id: string;
  direction: 'to_applicant' | 'from_applicant';
  author_staff_id: string | null;
  body: string;
  /** The request for more information this message belongs to, if any. */
  request_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  /** When the recipient (the applicant, or the office) first saw it. */
  read_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** What a clerk asked the applicant to add, and the answer (migration 0012). */
interface InformationRequestTable {
  id: Generated<string>;
  case_id: string;
  requested_by: string | null;
  field_ids: Json<string[]>;
  documents: Json<Array<{ id: string; label: string }>>;
  note: string;
  due_at: Date;
  status: Generated<'open' | 'answered' | 'cancelled'>;
  created_at: Generated<Date>;
  reminder_sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  answered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  answer: ColumnType<InformationAnswer | null, string | null | undefined, string | null>;
}

/** Which fields the answer changed (before → after) and which documents it brought. */
export interface InformationAnswer {
  readonly changed: ReadonlyArray<{ readonly field: string; readonly before: string; readonly after: string }>;
  readonly documents: ReadonlyArray<{ readonly requested: string; readonly documentId: string }>;
}

/** Erased cases counted per department, service, closing year and final state: no personal data (migration 0009). */
/** An overdue case escalated to the department's supervisors, once per state and due date (migration 0015). */
interface CaseEscalationTable {
  id: Generated<string>;
  case_id: string;
  state: string;
  due_at: Date;
  escalated_at: Date;
  /** How many supervisors the escalation mail reached (set by the mail job). */
  notified_supervisors: Generated<number>;
  notified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

interface RetentionStatisticsTable {
  department_id: string;
  service_id: string;
  closed_year: number;
  final_state: string;
  erased_count: ColumnType<number, number | undefined, number>;
}

/** A sealed PDF the office issued; `id` is its public verification id (migration 0007, ADR 0013). */
interface IssuedDocumentTable {
  id: string;
  case_id: string;
  /** `documents.document_id` of the stored PDF. */
  document_id: string;
  /** The case event that issued it (submission or transition); null when issued by hand. */
  event_id: ColumnType<string | null, string | number | null | undefined, never>;
  kind: 'receipt' | 'decision';
  template_id: string;
  title_de: string;
  title_en: string;
  department_id: string;
  issued_at: Date;
  /** Hex SHA-256 of the sealed PDF. */
  sha256: string;
}

/**
 * Full-text search over a case's texts (migration 0008). Only the tsvector, never the text: the
 * documents are encrypted at rest and this index must not become a plaintext copy.
 */
interface CaseSearchTable {
  id: Generated<string>;
  case_id: string;
  source: 'form' | 'note' | 'document';
  source_id: string;
  /** to_tsvector('german', text); read back as its text form. */
  tsv: string;
}

/** The channels a citizen chose; no row means every channel (migration 0011, ADR 0017). */
interface NotificationPreferencesTable {
  citizen_id: string;
  email: ColumnType<boolean, boolean | undefined, boolean>;
  push: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A browser that subscribed to Web Push for the account (migration 0011). */
interface PushSubscriptionTable {
  id: Generated<string>;
  citizen_id: string;
  /** The push service's https URL for this browser: a capability, never logged. */
  endpoint: string;
  /** The browser's P-256 public key and auth secret, base64url (RFC 8291). */
  p256dh: string;
  auth: string;
  label: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  last_success_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  failures: ColumnType<number, number | undefined, number>;
}

/** One notification pushed to one subscription: a retried job pushes nothing twice (migration 0011). */
interface PushDeliveryTable {
  subscription_id: string;
  notification_key: string;
  created_at: Generated<Date>;
  sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** Appointments (migration 0013, ADR 0018): one row per booked-into slot, its place count race-safe. */
interface AppointmentSlotTable {
  id: Generated<string>;
  service_id: string;
  location_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  capacity: number;
  booked: Generated<number>;
}

export type AppointmentStatus = 'held' | 'booked' | 'cancelled' | 'expired' | 'attended' | 'no_show';

interface AppointmentBookingTable {
  id: Generated<string>;
  service_id: string;
  case_id: string | null;
  location_id: string;
  slot_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: AppointmentStatus;
  /** The only personal datum; blanked some weeks after the appointment. */
  email: string | null;
  manage_token_hash: string;
  sequence: Generated<number>;
  held_until: Timestamp | null;
  released_from: string | null;
  created_at: Generated<Date>;
  cancelled_at: Timestamp | null;
  attendance_by: string | null;
}

interface AppointmentWaitlistTable {
  id: Generated<string>;
  service_id: string;
  location_id: string | null;
  /** The wanted day (`YYYY-MM-DD`, the city's calendar), or null for any day. */
  day: string | null;
  email: string;
  status: Generated<'waiting' | 'offered' | 'taken' | 'expired'>;
  offered_booking_id: string | null;
  offered_until: Timestamp | null;
  created_at: Generated<Date>;
}

/** Online fee payments (migration 0014, ADR 0019). */
export type PaymentStatus = 'created' | 'pending' | 'paid' | 'failed' | 'cancelled' | 'refunded' | 'partially_refunded';
export interface PaymentTable {
  id: Generated<string>;
  case_id: string;
  amount_cents: number;
  currency: ColumnType<'EUR', 'EUR' | undefined, never>;
  status: ColumnType<PaymentStatus, PaymentStatus | undefined, PaymentStatus>;
  /** The provider's name (`dev`, later `epaybl` or a card provider). */
  provider: string;
  /** The provider's id of the checkout; set once the provider has answered. */
  provider_payment_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Where the citizen pays (the provider's hosted page). */
  checkout_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** The fee's lines: `[{ label: { de, en }, cents }]`, no personal data. */
  items: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
  paid_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  refunded_cents: ColumnType<number, number | undefined, number>;
  /** `documents.document_id` of the sealed Zahlungsbestätigung. */
  receipt_document_id: ColumnType<string | null, string | null | undefined, string | null>;
}
interface PaymentEventTable {
  id: ColumnType<string, never, never>;
  payment_id: string;
  provider: string;
  provider_event_id: string;
  kind: string;
  received_at: Generated<Date>;
}
interface PaymentRefundTable {
  id: Generated<string>;
  payment_id: string;
  amount_cents: number;
  status: ColumnType<'requested' | 'succeeded' | 'failed', 'requested' | undefined, 'succeeded' | 'failed'>;
  /** The clerk's reason; internal, never logged or audited as text. */
  reason: string;
  requested_by: string;
  provider_refund_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** The serial number of each ordered ID card or passport (migration 0016); unique, one per case. */
interface IdDocumentSerialTable {
  serial: string;
  case_id: string;
  recorded_at: Generated<Date>;
}

/** Wohnungsgeberbestätigungen given online, BMG § 19(4) (migration 0017, src/landlord/). */
interface LandlordConfirmationTable {
  id: Generated<string>;
  started_by: 'tenant' | 'landlord';
  invite_token_hash: string | null;
  invite_email: string | null;
  invite_expires_at: Date | null;
  request: ColumnType<Record<string, string>, string | undefined, string>;
  confirmation: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  confirmed_at: Date | null;
  code_hash: string | null;
  code_expires_at: Date | null;
  used_by_case_id: string | null;
  used_at: Date | null;
  created_at: Generated<Date>;
}

/** A case event forwarded to an external receiving authority, with its delivery state (migration 0019, ADR 0023). */
interface AuthorityDeliveryTable {
  id: Generated<string>;
  case_id: string;
  event_id: string;
  authority_id: string;
  message_kind: 'notice' | 'withdrawal';
  status: ColumnType<'pending' | 'retrying' | 'delivered' | 'failed' | 'cancelled', 'pending' | 'retrying' | 'delivered' | 'failed' | 'cancelled' | undefined>;
  attempts: Generated<number>;
  /** A status code or "timeout"; never a response body. */
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  last_attempt_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** An answer of an external authority, once per its own answer id (migration 0019). */
interface AuthorityAnswerTable {
  id: Generated<string>;
  authority_id: string;
  answer_id: string;
  case_id: string;
  kind: string;
  received_at: Date;
  case_event_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One XGewerbeanzeige message to one recipient (migration 0018, src/trade/). No personal data. */
export type TradeDeliveryStatus = 'pending' | 'delivered' | 'failed';
interface TradeMessageDeliveryTable {
  id: Generated<string>;
  case_id: string;
  /** The acceptance's case event. */
  event_id: string;
  notice_kind: 'anmeldung' | 'ummeldung' | 'abmeldung';
  recipient_id: string;
  recipient_kind: string;
  recipient_name: string;
  /** Root element name, e.g. `sta.gewerbemeldung.0100`. */
  message_type: string;
  message_uuid: string;
  record_uuid: string;
  status: ColumnType<TradeDeliveryStatus, TradeDeliveryStatus | undefined, TradeDeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  /** A status code or a short reason; never a response body. */
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  last_attempt_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Set while an attempt runs (a lease against two attempts at once). */
  in_flight_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
  delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** SHA-256 of the XML that was delivered. */
  sha256: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface Database {
  authority_deliveries: AuthorityDeliveryTable;
  authority_answers: AuthorityAnswerTable;
  landlord_confirmations: LandlordConfirmationTable;
  id_document_serials: IdDocumentSerialTable;
  citizens: CitizenTable;
  citizen_passkeys: CitizenPasskeyTable;
  email_sign_in_links: EmailSignInLinkTable;
  verified_identities: VerifiedIdentityTable;
  departments: DepartmentTable;
  staff_users: StaffUserTable;
  role_grants: RoleGrantTable;
  sessions: SessionTable;
  drafts: DraftTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  idempotency_keys: IdempotencyKeyTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  audit_pending: AuditPendingTable;
  audit_entries: AuditEntriesView;
  mail_outbox: MailOutboxTable;
  documents: DocumentTable;
  case_messages: CaseMessageTable;
  information_requests: InformationRequestTable;
  case_search: CaseSearchTable;
  issued_documents: IssuedDocumentTable;
  retention_statistics: RetentionStatisticsTable;
  case_escalations: CaseEscalationTable;
  payments: PaymentTable;
  payment_events: PaymentEventTable;
  payment_refunds: PaymentRefundTable;
  appointment_slots: AppointmentSlotTable;
  appointment_bookings: AppointmentBookingTable;
  appointment_waitlist: AppointmentWaitlistTable;
  notification_preferences: NotificationPreferencesTable;
  push_subscriptions: PushSubscriptionTable;
  push_deliveries: PushDeliveryTable;
  trade_message_deliveries: TradeMessageDeliveryTable;
}

export type CaseRow = Selectable<CaseTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
