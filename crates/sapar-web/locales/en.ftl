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

## Navigation
nav-border = Border desk
nav-search = Find a person
nav-violations = Violations
nav-review = Identity review
nav-audit = Access log
nav-users = Users
nav-tokens = API tokens

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
