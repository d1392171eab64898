## Common
service-name = Unified migration register
skip-to-main = Skip to main content
footer-note = Sapar — migration register and treaty exchange node. Every read of personal data is recorded in the access log.
nav-label = Sections
language-label = Language
logout = Sign out
back-home = Back to the start page
error-summary-title = There is a problem
none-recorded = Nothing recorded
days-count = { $count ->
    [one] { $count } day
   *[other] { $count } days
}

## Roles
role-border = border control
role-officer = migration officer
role-exchange = exchange officer
role-signatory = signatory
role-analyst = analyst
role-auditor = auditor
role-admin = administrator
role-holder = card holder (self-service)
role-host = receiving party (host)

## Navigation
nav-border = Border desk
nav-search = Find a person
nav-violations = Violations
nav-review = Identity review
nav-audit = Access log
nav-users = Users
nav-tokens = API tokens
nav-control = Control register

## Errors
error-not-found-title = Page not found
error-not-found-body = There is no such page or record. Check the address or go back to the start page.
error-forbidden-title = No access
error-forbidden-body = Your role does not give access to this page.
error-csrf-title = Form refused
error-csrf-body = The form arrived without a valid protection key. Open the page again and repeat the action.
error-unavailable-title = Service temporarily unavailable
error-unavailable-body = The request could not be completed. Try again in a minute; if it happens again, tell your administrator.

## Sign in
login-title = Sign in
login-name = User name
login-password = Password
login-submit = Sign in
login-refused = Wrong user name or password.
login-throttled = Too many failed attempts. Try again in { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}.
login-expired = You were signed out after a period of inactivity. Sign in again to return to the page you asked for.

## Start page
home-title = Workplace
home-nothing = There are no work sections for your role yet.

## Purpose of access
purpose-title = State the purpose of access
purpose-explain = Before personal data is shown, say what you need it for. An entry (who, when, whose data, for what purpose) is written to the access log.
purpose-label = Purpose of access
purpose-choose = Choose a purpose
purpose-note-label = Explanation (optional)
purpose-open = Open
purpose-required = State the purpose of access.
purpose-border-check = Border check
purpose-stay-control = Stay control
purpose-permit-decision = Permit decision
purpose-enforcement = Enforcement
purpose-exchange-request = Request under an exchange agreement
purpose-audit = Audit
purpose-statistics-quality = Statistics quality check
purpose-own-data = Card holder reading their own status

## Search
search-title = Find a person
search-label = Name, surname or document number
search-hint = In any script and any transliteration: “Ерлан”, “YERLAN” and “ERLAN” find the same person.
search-birth-date = Date of birth
search-citizenship = Citizenship (three-letter code)
search-submit = Search
search-results = Search results
search-found = { $count ->
    [one] { $count } person found
   *[other] { $count } persons found
}
search-truncated = Not every match is shown: narrow the search.
search-too-long = The search is too long: at most { $count } characters.
search-bad-date = The date of birth is not a valid date.
search-bad-citizenship = The citizenship code is not recognised: give three letters, e.g. KGZ.

## Person
person-name = Name
person-title = Person record
person-birth-date = Date of birth
person-citizenship = Citizenship
person-documents = Documents
person-identity = Identity
person-sex = Sex
person-id = Register identifier
person-stay = Stay
person-crossings = Border crossings
person-permits = Permits
person-violations = Violations
person-read-for = Opened for the purpose of
person-merged-from = The record asked for was merged into this one:
sex-m = male
sex-f = female
sex-x = unspecified
document-type = Document type
document-number = Document number
document-expiry = Valid until
crossing-entry = Entry
crossing-exit = Exit
crossing-refused = Entry refused
stay-on = On
stay-status = Status
stay-absent = Not in the country
stay-legal = Stay is legal
stay-overstay = Overstay
stay-days-used = Days used
stay-days-left = Days left
stay-last-legal-day = Last legal day
stay-basis = Legal basis
stay-not-judged = The stay rules cannot judge this person's stay.
permit-kind = Permit
permit-valid-from = Valid from
permit-valid-to = Valid to
permit-revoked-from = Revoked from
permit-temporary-residence = Temporary residence permit
permit-permanent-residence = Permanent residence permit
permit-long-stay-visa = Long-stay visa
violation-detected = Detected
violation-days = Overstay
violation-status = Status
violation-rule = Rule
violation-status-draft = awaiting decision
violation-status-confirmed = confirmed
violation-status-dismissed = dismissed
permit-work-permit = Work permit
violation-kind = Kind
violation-kind-overstay = Overstay
violation-kind-registration-failure = Failure to register the place of stay
violation-kind-illegal-work = Work without a permit
violation-kind-document-rules = Breach of document rules
violation-kind-employer-violation = Illegal employment of foreign workers
violation-article = Article
violation-fine = Fine
violation-fine-unit = Fine unit
violation-decision-ref = Decision number
violation-penalty = Penalty (article, decision, fine)
violation-paid = paid
violation-unpaid = unpaid

## Border desk
border-title = Border desk
border-mrz = Machine-readable zone of the document
border-mrz-hint = Scan the document or paste the MRZ lines.
border-point = Crossing point
border-check = Check
border-result = Result of the check
border-open-person = Open the person's record
border-record-entry = Record entry
border-record-exit = Record exit
border-refusal = Refuse entry
border-refusal-ground = Ground of refusal
border-refusal-note = Note (optional)
border-refuse-entry = Refuse entry
recorded-refusal = Refusal of entry recorded.
refusal-ground-entry-ban = Entry ban in force
refusal-ground-invalid-document = Document invalid or expired
refusal-ground-no-visa = No visa
refusal-ground-no-days-left = No day of legal stay left
refusal-ground-stay-rules-breach = Earlier breach of the stay rules
refusal-ground-control-register = Listed in the control register
refusal-ground-false-purpose = Purpose of travel does not hold
refusal-ground-public-safety = National security, public order or health
refusal-ground-other = Other (say why in the note)
finding-document-expired = The document expired on
finding-overstaying = The stay is exceeded by
finding-new-person = First time in the register.
finding-no-stay-rule = There are no stay rules for this citizenship.
finding-overstay-history = Overstays on record:
finding-overstay-longest = the longest by
finding-overstay-of-candidate = of the possible same person
finding-overstay-of-holder = of the document's holder
finding-stay-not-judged = The stay rules cannot judge this stay:
finding-stay = Stay:
finding-purpose-not-allowed = The stay rule does not cover the declared purpose, and no permit allows it:
border-advice = Advice
advice-admit = Admit
advice-refer = Refer
advice-refuse = Refuse
border-checks = Checks
border-check-finding = Finding
border-check-basis = Legal basis
border-candidates = Possibly the same person on another document
border-candidates-hint = Found by name in any script, date of birth and citizenship; the probability is the register's linkage model's.
border-probability = Probability
recorded-entry = Entry recorded.
recorded-exit = Exit recorded.
exit-without-entry = The exit cannot be recorded: the person has no entry before it.

## Queues
violations-title = Violations awaiting a decision
review-title = Identity review
queue-empty = The queue is empty.
queue-days-waiting = Waiting
queue-decision = Decision
queue-note = Note
queue-note-required = To dismiss a violation, give the reason in the note.
queue-already-decided = Another officer has already decided this item.
queue-not-decided = The decision was not recorded: check what you entered.
violation-confirm = Confirm
violation-dismiss = Dismiss
review-probability = Probability of a match
review-explanation = Why the records look alike
review-match = Same person
review-non-match = Different persons

## Access log
audit-title = Access log
audit-user = User
audit-person = Person (identifier)
audit-from = From
audit-until = Until
audit-any-purpose = Any purpose
audit-apply = Apply
audit-csv = Download CSV
audit-at = Time
audit-view = What was opened
audit-address = Address
audit-next = Next page
audit-bad-filter = Filter not understood
audit-count = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}

## Administration
users-title = Users
users-name = Name
users-role = Role
users-since = Created
users-status = Status
users-disabled = Disabled
users-disable = Disable
users-new = New user
users-password = Password
users-password-hint = At least 12 characters.
users-create = Create user
users-created = User created
users-bad-role = Choose a role from the list.
users-bad-name = Name: 1 to 100 characters — letters, digits, dot, hyphen and underscore.
users-name-taken = A user with this name already exists.
users-weak-password = The password is too short: at least 12 characters.
tokens-title = API tokens
tokens-explain = Tokens for machine clients. They are created and revoked with “sapar tokens”; the secret is shown once.
tokens-expires = Expires
tokens-revoked = Revoked

## Entry bans and partner events
person-bans = Entry bans
ban-period = Period
ban-ground = Ground
ban-decision = Decision
ban-decision-hint = The decision’s number and date, as written on it.
ban-status = Status
ban-in-force = In force
ban-lifted-from = Lifted from
ban-ended = Ended
ban-not-yet = Not yet begun
ban-ground-expulsion = Expulsion, deportation or readmission
ban-ground-court-decision = Court decision
ban-ground-administrative-decision = Administrative decision
ban-ground-partner-notice = Partner state’s notice
ban-ground-other = Other ground
ban-record = Record an entry ban
ban-from = First day of the ban
ban-until = Last day of the ban
ban-basis = Legal basis
ban-basis-hint = Act and article, for example: Law of Kazakhstan “On Migration of the Population”, art. 67.
ban-decided-by = Decided by (when not you)
ban-lift = Lift the ban early
ban-lift-from = First day no longer banned
ban-lift-from-hint = YYYY-MM-DD; empty means today.
ban-lift-reason = Reasons for lifting
ban-lift-decision = Decision lifting it
date-hint = YYYY-MM-DD, for example 2030-04-11.
error-prefix = Error
form-cancel = Cancel
form-error-missing-field = Fill in this field.
form-error-too-long = The text is too long.
form-error-invalid-date = Enter the date as YYYY-MM-DD.
form-error-date-out-of-range = The date lies outside the years allowed (1900–2199).
form-error-invalid-ground = Choose a ground from the list.
form-error-reason-required = State the reasons for the decision.
form-error-ban-ends-before-start = The last day lies before the first.
form-error-ban-already-ended = The ban ended before this day: there is nothing to lift.
form-error-already-lifted = This ban was already lifted.
person-events = Events for partner states
person-events-explain = What the state of citizenship may have to be told of (arts. 6.2 and 9 of the agreement).
event-at = When
event-kind = Event
event-state = State
event-actor = Recorded by
event-ban-recorded = Entry ban recorded
event-ban-lifted = Entry ban lifted
person-expulsions = Expulsions, deportations, readmissions
expulsion-kind = Measure
expulsion-leave-by = Leave by
expulsion-executed = Execution
expulsion-left-on = Left on
expulsion-pending = Not yet carried out
expulsion-administrative-expulsion = Administrative expulsion
expulsion-deportation = Deportation
expulsion-readmission = Readmission
event-expulsion-decided = Expulsion decided
event-expulsion-executed = Expulsion carried out
finding-entry-ban = Entry ban until

## The control register
person-control = Control register
control-title = Register of controlled persons
control-filter = Entries shown
control-filter-active = Listed now
control-filter-removed = Removed
control-count = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
control-overdue-count = { $count ->
    [one] { $count } application overdue
   *[other] { $count } applications overdue
}
control-pending-count = { $count ->
    [one] { $count } removal application awaiting a decision
   *[other] { $count } removal applications awaiting a decision
}
control-empty = No entries.
control-not-listed = Not listed in the control register.
control-person = Person
control-ground = Ground
control-included-on = Included on
control-included-at = Included
control-pending-applications = Removal applications awaiting a decision
control-removed-on = Removed on
control-overdue = Overdue
control-pending = Awaiting a decision
control-pages = Pages
control-page = Page { $count }
control-previous = Previous page
control-next = Next page
control-entry-title = Control register entry
control-active = Listed
control-removed = Removed
control-open-person = Open the person's record
control-open-listed = Open the entry that lists the person
control-basis = Legal basis
control-basis-hint = Act and article, for example: Law of Kazakhstan “On Migration of the Population”, art. 48.
control-decision = Decision
control-decided-on = Day of the decision
control-decided-by = Decided by
control-recorded-by = Recorded by
control-restrictions = Restrictions that follow
control-restrictions-explain = While the person is listed, the law restricts:
control-notices = Notices to the person
control-notice-none = No notice is recorded: the person may not know of the entry.
control-notice-channel = How it was sent
control-notice-sent-on = Sent or handed over on
control-notice-record = Record a notice
control-notice-print = Printable notice, in Russian and the person's language
control-notice-title = Notice of inclusion in the control register
control-notice-print-hint = Print this page with the browser's print command, then hand or send it to the person and record the notice.
control-notice-also-in = Russian together with:
control-notice-back = Back to the entry
control-applications = Removal applications
control-applications-none = No application filed.
control-application-file = File a removal application
control-application-explain = The person, a representative or the person's state may apply. The application is decided within 10 working days of filing.
control-application-filed = Filed
control-application-applicant = Applicant
control-application-applicant-name = Applicant's name
control-application-grounds = Grounds
control-application-statement = Statement
control-application-documents = Documents enclosed
control-application-documents-hint = One document per line.
control-application-due = Decide by
control-application-status = Status
control-application-decide = Decide
control-decision-title = Decide the removal application
control-decision-label = Decision
control-decision-grant = Granted: remove from the register
control-decision-deny = Denied
control-decision-reasons = Reasons
control-decision-appeal-route = Appeal route
control-decision-appeal-route-hint = Required for a denial: where, and within what time, the decision may be appealed.
control-decision-submit = Record the decision
control-history = History of the entry and its removal
control-history-included = Included
control-history-notice = Notice recorded
control-history-filed = Removal application filed
control-history-granted = Application granted
control-history-denied = Application denied
control-history-removed = Removed from the register
control-include = Include in the control register
control-include-explain = A person is included only on a ground from the list, by a decision. The restrictions that follow apply until the entry is removed; the person is to be told by a notice.
control-cancel = Remove: the decision was cancelled
control-cancel-explain = When the decision the inclusion rested on is cancelled, the person is removed from the register. The reasons are recorded in the entry's history.
control-cancel-reasons = Reasons, with the cancelling decision
control-cancel-submit = Remove from the register
control-ground-illegal-entry = Illegal entry
control-ground-court-sentence = Court sentence
control-ground-permit-expired-or-annulled = Visa or permit expired or annulled
control-ground-stay-shortened = Decision shortening the stay
control-ground-deportation = Deportation decision
control-ground-readmission = Readmission decision
control-ground-expulsion = Administrative expulsion decision
control-ground-citizenship-lost = Loss of citizenship
control-ground-refugee-status-refused = Refugee status refused or withdrawn
control-ground-entry-ban = Entry ban decision
control-restriction-driving-licence = issue of a driving licence
control-restriction-bank-operations-limited = bank operations (limited)
control-restriction-marriage = registration of a marriage
control-restriction-change-of-residence = change of residence without permission
control-restriction-property-and-company-registration = registration of property and companies
control-removal-departure = left the country
control-removal-legalised-status = stay made lawful by a permit
control-removal-decision-cancelled = decision cancelled
control-removal-application-granted = removal application granted
control-channel-in-person = Handed over in person
control-channel-post = By post
control-channel-email = By email
control-channel-sms = By SMS
control-channel-consular = Through the consulate
control-applicant-person = The person
control-applicant-representative = A representative
control-applicant-state = The person's state
control-application-ground-departure = Departure
control-application-ground-legalised-status = Lawful basis of stay
control-application-ground-decision-cancelled = Decision cancelled
control-application-ground-court-ruling = Court ruling
control-application-ground-error = Listed by mistake
event-control-included = Included in the control register
event-control-removed = Removed from the control register
form-error-invalid-choice = Choose one of the options.
form-error-appeal-route-required = A denial names where and within what time it may be appealed: fill in the appeal route.
form-error-note-too-long = The text is too long: at most 2000 characters.
form-error-already-listed = The person is already listed in the control register.
form-error-entry-removed = The entry has been removed from the register: this step is no longer possible.
form-error-already-decided = This application has already been decided.
form-error-no-calendar = The deadline cannot be counted: the production calendar for that year is not loaded. Tell your administrator.
violation-record = Record a violation
violation-article-hint = When left blank, the code's article for this kind is recorded
violation-description = Description
violation-employer = Employer
violation-decision-ref-hint = Number and date of the decision; a violation recorded with its decision is confirmed
violation-payment = Record the fine's payment
violation-paid-on = Paid on
violation-payment-reference = Receipt or payment number
violation-payment-reference-hint = As written on the receipt
form-error-invalid-registration-number = A BIN is 12 digits, the last a control digit: check the number.
form-error-invalid-fine-amount = A fine is a whole number of at least zero.
form-error-invalid-fine-unit = Choose the fine's unit from the list.
form-error-article-required = No article is set for this kind: give the article.
form-error-employer-required = An employer's violation: choose the employer.
form-error-unknown-employer = No such employer is on record.
form-error-duplicate-employer = An employer with this number is already on record.
form-error-no-fine = No fine was imposed for this violation.
form-error-already-paid = This fine's payment was already recorded.
form-error-violation-dismissed = The violation was dismissed: its fine is not paid.
nav-employers = Employers
employers-title = Employers
employers-find = Name or BIN
employer-name = Name
employer-number = BIN (registration number)
employer-number-hint = 12 digits; spaces and dashes do not matter
employer-region = Region
employer-address = Address
employer-recorded = Recorded
employer-record = Record an employer
employer-violations = Violations
employer-worker = Worker
employer-open-worker = Open the record

# Migrant card
person-card = Migrant card
warning = Warning
card-number = Card number
card-status = Status
card-status-valid = Valid
card-status-expired = Expired
card-status-revoked = Revoked
card-revoked-exit = on exit
card-revoked-expulsion = on expulsion
card-revoked-ban = on an entry ban
card-revoked-replaced = replaced by a new card
card-revoked-officer = by an officer's decision
card-issued-on = Issued on
card-valid-until = Valid until
card-print = Print the card
card-download-pdf = Printable card (PDF, A6)
card-qr-alt = The card's signed seal as a QR code
card-none = No card has been issued.
card-issue = Issue a new card
card-refused-no-legal-stay = No card was issued: the person is not in the country on a legal stay.
card-refused-not-issuable = No card was issued: the register lacks the holder's birth date or identity document.
card-title = Migrant card
card-print-hint = Print this page; the QR code can be verified offline with the state's certificate.
card-photo = Photo
card-heading = Migrant card of the Republic of Kazakhstan
card-document = Identity document
card-verify-hint = Scan to verify: sapar card verify --ca ca.pem
# Self-service
self-title = My stay and migrant card
self-intro = Enter the number of the document you crossed the border with, your migrant card number and your date of birth to see your days of stay, the last day you may stay, your registration and your card.
self-document-number = Passport or identity document number
self-card-number-hint = As printed on the card, for example KAZ0000000017
self-birth-date-hint = Year-month-day, for example 1994-03-08
self-submit = Show my status
self-registration-due = Register your place of stay by
self-not-listed = You are not in the control register.
self-removal-how = You may apply for removal in writing to the migration service, or through your state's competent authority, with the documents that show the ground has ended. You will be told the decision.
self-again = Check again
self-denied = These details do not match a card on record. Check them and try again.
self-throttled = Too many failed attempts. Try again in a quarter of an hour.
# Registration of place of stay.
person-registrations = Registrations of place of stay
registration-file = Register place of stay
registration-address = Address
registration-region = Region or city
registration-locality = Locality
registration-street = Street
registration-building = Building
registration-flat = Flat
registration-period = Period of stay
registration-from = From
registration-until = Until
registration-party = Receiving party
registration-party-kind = Who receives the foreigner
registration-party-name = Name
registration-party-name-hint = For the migrant registering themself, leave blank to use the name on record.
registration-party-identity = Document or registration number
registration-party-identity-hint = A private host's identity document number; a company's BIN.
registration-party-private-person = Private host
registration-party-legal-entity = Organisation (hotel, employer)
registration-party-migrant = The migrant
registration-state = State
registration-state-submitted = Submitted
registration-state-accepted = Accepted
registration-state-refused = Refused
registration-state-superseded = Replaced by a new address
registration-state-ended = Ended
registration-end-exit = exit
registration-end-deregistered = deregistered
registration-due = Register by
registration-late = Late
registration-change = Extend or end
registration-change-day = Day: the new last day, or the day it ends
registration-change-note = Note (for an end)
registration-extend = Extend to this day
registration-end = End on this day
form-error-unknown-region = Choose a region or city of the list.
form-error-invalid-period = The period ends before it starts, or the new day is not later than the current end.
form-error-person-not-in-country = The person is not in the country: no entry without a later exit.
form-error-registration-ended = This registration is no longer in force.
self-registration = Registration of place of stay
self-registration-state-registered = Registered
self-registration-state-due = Not yet registered
self-registration-state-overdue = Overdue: register at once
self-registration-state-not-required = Not required

# A receiving party's desk
nav-host = Register guests
host-title = Register a foreigner at their place of stay
host-intro = Give your guest's document and birth date as their passport shows them, the address and the period of stay. Nothing about your guest is shown from the register.
host-guest = Guest
host-guest-state = State that issued the passport
host-guest-state-hint = Three-letter code, such as KGZ, UZB, TJK.
host-guest-number = Passport number
host-guest-not-found = No foreigner holds this document with this birth date. Check the state code, the number and the birth date.
host-filed = Registration filed
host-reference = Registration number
host-late = Filed late: it was due by
host-on-time = Filed on time; it was due by
form-error-unknown-country = There is no state with this code. Enter a three-letter code such as KGZ.
form-error-invalid-country = A state code is three Latin letters, such as KGZ.
form-error-specimen-country = UTO is ICAO's specimen, not a state.
form-error-issuer-not-a-state = This code stands for a stateless person's or a refugee's document, not a state.
form-error-invalid-document-number = A document number is Latin letters and digits, up to 20 of them.

# Claims and bulk decisions in the queues
queue-claim = Take
queue-release = Give back
queue-claimed-by = Taken by
queue-claimed-by-you = Yours
queue-claimed-by-other = Another officer has taken this item.
queue-select = Select
queue-bulk-selected = With the selected items
queue-bulk-none = Select at least one item.
queue-bulk-done = Done
queue-bulk-title = Decide several items
queue-bulk-to-decide = Will be decided
queue-bulk-to-skip = Will be skipped
queue-bulk-nothing = Nothing to decide: every selected item is skipped.
queue-bulk-confirm = Confirm the decision
queue-skip-decided = decided already
queue-skip-claimed = taken by
queue-bulk-decided = { $count ->
    [one] { $count } item decided.
   *[other] { $count } items decided.
}
queue-bulk-skipped = { $count ->
    [one] { $count } skipped.
   *[other] { $count } skipped.
}

## Treaty case desk
nav-cases = Exchange cases
cases-title = Cases under exchange agreements
cases-not-configured = This node has no exchange with other states configured.
cases-filter = Filter cases
cases-filter-open = Open
cases-filter-due-soon = Due soon
cases-filter-overdue = Overdue
cases-filter-closed = Closed
cases-partner = Partner state
cases-partner-all = All
cases-apply = Show
cases-empty = There are no such cases.
cases-case = Case
cases-direction = Direction
cases-incoming = Incoming
cases-outgoing = Outgoing
cases-state = State
cases-deadline = Answer due
cases-last-activity = Last message
cases-answered-on-time = Answered on time
cases-answered-late = Answered late
cases-not-answered = Closed without an answer
cases-due-today = Due today
case-title = Case
case-received-on = Request received
case-messages = Messages
case-message-in = Received
case-message-out = Sent
case-body-destroyed = The content was destroyed at the end of its retention period; its hash stays in the message log.
case-in-reply-to = In reply to
case-back = All cases
case-delivery-pending = waiting for delivery
case-delivery-delivered = delivered
case-delivery-rejected = refused by the partner
cases-days-left = { $count ->
    [one] { $count } day left
   *[other] { $count } days left
}
cases-overdue-by = { $count ->
    [one] Overdue by { $count } day
   *[other] Overdue by { $count } days
}
case-state-queried = Hit/no-hit query
case-state-hit-reported = Hit/no-hit answered
case-state-requested = Requested
case-state-in-progress = In progress
case-state-clarification-requested = Clarification requested
case-state-postponed = Postponed
case-state-authenticity-queried = Authenticity queried
case-state-confidentiality-notified = Confidentiality notified
case-state-answered = Answered
case-state-refused = Refused
case-state-withdrawn = Withdrawn
case-state-noticed = Notice
case-state-closed = Closed
message-type-query = Hit/no-hit query
message-type-hit-result = Hit/no-hit result
message-type-request = Request
message-type-ack = Acknowledgement
message-type-clarification-request = Request for clarification
message-type-clarification = Clarification
message-type-delay-notice = Notice of delay
message-type-postponement = Postponement
message-type-postponement-decision = Decision on a postponement
message-type-answer = Answer
message-type-refusal = Refusal
message-type-authenticity-query = Authenticity query
message-type-authenticity-confirmation = Authenticity confirmation
message-type-confidentiality-notice = Confidentiality notice
message-type-confidentiality-decision = Confidentiality decision
message-type-consent-request = Consent request
message-type-consent-decision = Consent decision
message-type-notice = Notice
message-type-signatory-list = Signatory list
message-type-authority-change = Authority change
message-type-statistics = Statistics
message-type-legislation-update = Legislation update
message-type-agreement-notice = Agreement notice
message-type-withdrawal = Withdrawal
case-step-title = Next step
case-step-kind = Message to the partner
case-step-text = Text (the reason, for a delay or a postponement)
case-step-date = Date
case-step-date-hint = For a delay, when the answer is expected; for a postponement, until when; YYYY-MM-DD
case-step-conditions = Conditions of the postponement
case-step-send = Sign and send
case-step-sent = Sent
case-step-text-required = Write the message's text.
case-step-date-invalid = Write the date as YYYY-MM-DD.
case-step-refused = The partner would not accept this message in the case's present state; it was not sent
nav-channels = Exchange channels
channels-title = Outgoing exchange channels
channels-explain = Each channel is one agreement, one partner state, one direction. A channel whose record disagrees with the partner's halts; resume it once both nodes agree again.
channels-empty = No channels yet: no message has been sent.
channels-channel = Channel
channels-delivered = Last delivered no.
channels-queued = Queued
channels-state = State
channels-halted = Halted
channels-delivering = Delivering
channels-resume = Resume
channels-resumed = Channel resumed
channels-not-resumed = Channel not resumed
