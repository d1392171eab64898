## Жалпы
service-name = Бірыңғай көші-қон тізілімі
skip-to-main = Негізгі мазмұнға өту
footer-note = Sapar — көші-қон тізілімі және мемлекетаралық келісімдер бойынша алмасу торабы. Дербес деректердің әрбір оқылуы қол жеткізу журналына жазылады.
nav-label = Бөлімдер
language-label = Тіл
logout = Шығу
back-home = Басты бетке
error-summary-title = Мәселе бар
none-recorded = Жазбалар жоқ
days-count = { $count ->
    [one] { $count } күн
   *[other] { $count } күн
}

## Рөлдер
role-border = шекаралық бақылау
role-officer = көші-қон инспекторы
role-exchange = алмасу жөніндегі қызметкер
role-signatory = қол қоюшы
role-analyst = талдаушы
role-auditor = аудитор
role-admin = әкімші

## Навигация
nav-border = Шекара бекеті
nav-search = Тұлғаларды іздеу
nav-violations = Бұзушылықтар
nav-review = Жеке басын салыстыру
nav-audit = Қол жеткізу журналы
nav-users = Пайдаланушылар
nav-tokens = API-токендер

## Қателер
error-not-found-title = Бет табылмады
error-not-found-body = Мұндай бет немесе жазба жоқ. Мекенжайды тексеріңіз немесе басты бетке оралыңыз.
error-forbidden-title = Қол жеткізуге рұқсат жоқ
error-forbidden-body = Сіздің рөліңіз бұл бетке қол жеткізуге мүмкіндік бермейді.
error-csrf-title = Нысан қабылданбады
error-csrf-body = Нысан жарамды қорғау кілтінсіз келді. Бетті қайта ашып, әрекетті қайталаңыз.
error-unavailable-title = Қызмет уақытша қолжетімсіз
error-unavailable-body = Сұрауды орындау мүмкін болмады. Бір минуттан кейін қайталап көріңіз; қате қайталанса, әкімшіге хабарлаңыз.

## Кіру
login-title = Жүйеге кіру
login-name = Пайдаланушы аты
login-password = Құпиясөз
login-submit = Кіру
login-refused = Пайдаланушы аты немесе құпиясөз қате.
login-throttled = Сәтсіз әрекеттер тым көп. { $count ->
    [one] { $count } минуттан
   *[other] { $count } минуттан
} кейін қайталаңыз.
login-expired = Әрекетсіздікке байланысты сеанс аяқталды. Қайта кіріңіз — сұралған бетке ораласыз.

## Басты бет
home-title = Жұмыс орны
home-nothing = Сіздің рөліңіз үшін әзірге жұмыс бөлімдері жоқ.

## Қол жеткізу мақсаты
purpose-title = Қол жеткізу мақсатын көрсетіңіз
purpose-explain = Дербес деректер көрсетілмес бұрын олардың не үшін қажет екенін көрсетіңіз. Қол жеткізу туралы жазба (кім, қашан, кімнің деректеріне, қандай мақсатпен) қол жеткізу журналына түседі.
purpose-label = Қол жеткізу мақсаты
purpose-choose = Мақсатты таңдаңыз
purpose-note-label = Түсініктеме (міндетті емес)
purpose-open = Ашу
purpose-required = Қол жеткізу мақсатын көрсетіңіз.
purpose-border-check = Шекаралық бақылау
purpose-stay-control = Елде болуды бақылау
purpose-permit-decision = Рұқсат бойынша шешім
purpose-enforcement = Құқық қолдану
purpose-exchange-request = Алмасу туралы келісім бойынша сұрау
purpose-audit = Аудит
purpose-statistics-quality = Статистика сапасын тексеру

## Іздеу
search-title = Тұлғаларды іздеу
search-label = Аты, тегі немесе құжат нөмірі
search-hint = Кез келген тілде және кез келген транслитерацияда: «Ерлан», «YERLAN» және «ERLAN» бір адамды табады.
search-birth-date = Туған күні
search-citizenship = Азаматтығы (үш әріпті код)
search-submit = Іздеу
search-results = Іздеу нәтижелері
search-found = { $count ->
    [one] { $count } адам табылды
   *[other] { $count } адам табылды
}
search-truncated = Барлық сәйкестіктер көрсетілмеген: сұрауды нақтылаңыз.
search-too-long = Сұрау тым ұзын: { $count } таңбадан аспауы тиіс.
search-bad-date = Туған күні қате көрсетілген.
search-bad-citizenship = Азаматтық коды танылмады: үш әріп көрсетіңіз, мысалы, KGZ.

## Тұлға
person-name = Т.А.Ә.
person-title = Тұлға карточкасы
person-birth-date = Туған күні
person-citizenship = Азаматтығы
person-documents = Құжаттар
person-identity = Жеке басы
person-sex = Жынысы
person-id = Тізілімдегі сәйкестендіргіш
person-stay = Елде болу
person-crossings = Шекарадан өтулер
person-permits = Рұқсаттар
person-violations = Бұзушылықтар
person-read-for = Деректерді ашу мақсаты
person-merged-from = Сұралған жазба осы жазбамен біріктірілген:
sex-m = ер
sex-f = әйел
sex-x = көрсетілмеген
document-type = Құжат түрі
document-number = Құжат нөмірі
document-expiry = Жарамдылық мерзімі
crossing-entry = Келу
crossing-exit = Кету
crossing-refused = Кіруден бас тартылды
stay-on = Күні
stay-status = Мәртебесі
stay-absent = Елде жоқ
stay-legal = Болуы заңды
stay-overstay = Болу мерзімінен асыру
stay-days-used = Пайдаланылған күндер
stay-days-left = Қалған күндер
stay-last-legal-day = Заңды болудың соңғы күні
stay-basis = Құқықтық негіз
stay-not-judged = Болу қағидалары бұл тұлға бойынша қорытынды шығаруға мүмкіндік бермейді.
permit-kind = Рұқсат түрі
permit-valid-from = Қолданылу басталуы
permit-valid-to = Қолданылу аяқталуы
permit-revoked-from = Күші жойылған күні
permit-temporary-residence = Уақытша тұруға рұқсат
permit-permanent-residence = Тұруға ықтиярхат
permit-long-stay-visa = Ұзақ мерзімді виза
violation-detected = Анықталған күні
violation-days = Мерзімнен асыру
violation-status = Мәртебесі
violation-rule = Қағида
violation-status-draft = шешім күтілуде
violation-status-confirmed = расталды
violation-status-dismissed = қабылданбады

## Шекара бекеті
border-title = Шекара бекеті
border-mrz = Құжаттың машинамен оқылатын аймағы
border-mrz-hint = Құжатты сканерлеңіз немесе MRZ жолдарын қойыңыз.
border-point = Өткізу пункті
border-check = Тексеру
border-result = Тексеру нәтижесі
border-open-person = Тұлға карточкасын ашу
border-record-entry = Келуді тіркеу
border-record-exit = Кетуді тіркеу
border-refusal = Кіруден бас тарту
border-refusal-ground = Бас тарту негізі
border-refusal-note = Ескерту (міндетті емес)
border-refuse-entry = Кіруден бас тарту
recorded-refusal = Кіруден бас тарту жазылды.
refusal-ground-entry-ban = Күшіндегі кіруге тыйым
refusal-ground-invalid-document = Құжат жарамсыз немесе мерзімі өткен
refusal-ground-no-visa = Виза жоқ
refusal-ground-no-days-left = Заңды болу күндері қалмаған
refusal-ground-stay-rules-breach = Болу ережелерін бұрын бұзған
refusal-ground-control-register = Бақылау тізіліміне енгізілген
refusal-ground-false-purpose = Сапар мақсаты расталмайды
refusal-ground-public-safety = Мемлекет қауіпсіздігі, қоғамдық тәртіп немесе денсаулық
refusal-ground-other = Басқа (ескертуде көрсетіңіз)
finding-document-expired = Құжаттың қолданылу мерзімі өтті:
finding-overstaying = Болу мерзімі асырылды:
finding-new-person = Тұлға тізілімде алғаш рет.
finding-no-stay-rule = Бұл азаматтық үшін болу қағидалары жоқ.
finding-overstay-history = Тізілімдегі болу мерзімін бұзулар:
finding-overstay-longest = ең ұзақ асыру
finding-overstay-of-candidate = мүмкін сол тұлғада
finding-overstay-of-holder = құжат иесінде
finding-stay-not-judged = Болу қағидалары бұл болуды бағалай алмайды:
finding-stay = Болу:
border-advice = Ұсыным
advice-admit = Өткізу
advice-refer = Қосымша тексеруге жіберу
advice-refuse = Келуден бас тарту
border-checks = Тексерулер
border-check-finding = Нәтиже
border-check-basis = Құқықтық негіз
border-candidates = Басқа құжат бойынша сол тұлға болуы мүмкін
border-candidates-hint = Кез келген жазудағы аты, туған күні және азаматтығы бойынша табылды; ықтималдықты тізілімнің жазбаларды байланыстыру моделі береді.
border-probability = Ықтималдық
recorded-entry = Келу тіркелді.
recorded-exit = Кету тіркелді.
exit-without-entry = Кетуді тіркеу мүмкін емес: тұлғаның бұған дейінгі келуі жоқ.

## Кезектер
violations-title = Шешім күтіп тұрған бұзушылықтар
review-title = Жеке басын салыстыру
queue-empty = Кезек бос.
queue-days-waiting = Күтуде
queue-decision = Шешім
queue-note = Ескертпе
queue-note-required = Бұзушылықты қабылдамау үшін ескертпеде себебін көрсетіңіз.
queue-already-decided = Бұл жазба бойынша шешімді басқа қызметкер қабылдап қойған.
queue-not-decided = Шешім жазылмады: енгізілген деректерді тексеріңіз.
violation-confirm = Растау
violation-dismiss = Қабылдамау
review-probability = Сәйкестік ықтималдығы
review-explanation = Жүйе жазбаларды неліктен ұқсас деп санайды
review-match = Бұл бір тұлға
review-non-match = Бұл әртүрлі тұлғалар

## Қол жеткізу журналы
audit-title = Қол жеткізу журналы
audit-user = Пайдаланушы
audit-person = Тұлға (сәйкестендіргіш)
audit-from = Басталу күні
audit-until = Аяқталу күні
audit-any-purpose = Кез келген мақсат
audit-apply = Қолдану
audit-csv = CSV жүктеп алу
audit-at = Уақыты
audit-view = Не ашылды
audit-address = Мекенжай
audit-next = Келесі бет
audit-bad-filter = Сүзгі танылмады
audit-count = { $count ->
    [one] { $count } жазба
   *[other] { $count } жазба
}

## Әкімшілік ету
users-title = Пайдаланушылар
users-name = Аты
users-role = Рөлі
users-since = Құрылған күні
users-status = Күйі
users-disabled = Өшірілген
users-disable = Өшіру
users-new = Жаңа пайдаланушы
users-password = Құпиясөз
users-password-hint = Кемінде 12 таңба.
users-create = Пайдаланушы құру
users-created = Пайдаланушы құрылды
users-bad-role = Тізімнен рөл таңдаңыз.
users-bad-name = Аты: 1–100 таңба — әріптер, цифрлар, нүкте, дефис және астын сызу.
users-name-taken = Бұл атпен пайдаланушы бұрыннан бар.
users-weak-password = Құпиясөз тым қысқа: кемінде 12 таңба қажет.
tokens-title = API-токендер
tokens-explain = Автоматтандырылған жүйелерге арналған токендер. Олар «sapar tokens» командасымен жасалады және кері қайтарылады; құпия кілт бір рет қана көрсетіледі.
tokens-expires = Мерзімі аяқталады
tokens-revoked = Кері қайтарылған

## Entry bans and partner events
person-bans = Елге кіруге тыйымдар
ban-period = Мерзімі
ban-ground = Негізі
ban-decision = Шешім
ban-decision-hint = Шешімнің нөмірі мен күні, құжаттағыдай.
ban-status = Күйі
ban-in-force = Күшінде
ban-lifted-from = Алынған күні:
ban-ended = Мерзімі өтті
ban-not-yet = Әлі басталмаған
ban-ground-expulsion = Шығарып жіберу, депортация немесе реадмиссия
ban-ground-court-decision = Сот шешімі
ban-ground-administrative-decision = Уәкілетті органның шешімі
ban-ground-partner-notice = Әріптес мемлекеттің хабарламасы
ban-ground-other = Басқа негіз
ban-record = Кіруге тыйым енгізу
ban-from = Тыйымның бірінші күні
ban-until = Тыйымның соңғы күні
ban-basis = Құқықтық негіз
ban-basis-hint = Заң мен бап, мысалы: ҚР «Халықтың көші-қоны туралы» Заңы, 67-бап.
ban-decided-by = Шешімді кім қабылдады (сіз болмасаңыз)
ban-lift = Тыйымды мерзімінен бұрын алу
ban-lift-from = Тыйым қай күннен бастап күшін жояды
ban-lift-from-hint = ЖЖЖЖ-АА-КК; бос болса — бүгін.
ban-lift-reason = Алу себептері
ban-lift-decision = Алу туралы шешім
date-hint = ЖЖЖЖ-АА-КК, мысалы 2030-04-11.
error-prefix = Қате
form-cancel = Болдырмау
form-error-missing-field = Бұл өрісті толтырыңыз.
form-error-too-long = Мәтін тым ұзын.
form-error-invalid-date = Күнді ЖЖЖЖ-АА-КК түрінде енгізіңіз.
form-error-date-out-of-range = Күн рұқсат етілген жылдардан тыс (1900–2199).
form-error-invalid-ground = Тізімнен негізді таңдаңыз.
form-error-reason-required = Шешімнің себептерін көрсетіңіз.
form-error-ban-ends-before-start = Соңғы күн біріншіден ерте.
form-error-ban-already-ended = Тыйым бұл күннен бұрын аяқталған: алатын ештеңе жоқ.
form-error-already-lifted = Бұл тыйым әлдеқашан алынған.
person-events = Әріптес мемлекеттерге арналған оқиғалар
person-events-explain = Азаматтық мемлекетіне хабарлау қажет болуы мүмкін оқиғалар (Келісімнің 6.2 және 9-баптары).
event-at = Қашан
event-kind = Оқиға
event-state = Мемлекет
event-actor = Кім енгізді
event-ban-recorded = Кіруге тыйым енгізілді
event-ban-lifted = Кіруге тыйым алынды
person-expulsions = Шығарып жіберулер, депортациялар, реадмиссиялар
expulsion-kind = Шара
expulsion-leave-by = Елден кету мерзімі
expulsion-executed = Орындалуы
expulsion-left-on = Шықты:
expulsion-pending = Орындалмаған
expulsion-administrative-expulsion = Әкімшілік шығарып жіберу
expulsion-deportation = Депортация
expulsion-readmission = Реадмиссия
event-expulsion-decided = Шығарып жіберу туралы шешім қабылданды
event-expulsion-executed = Шығарып жіберу орындалды
finding-entry-ban = Кіруге тыйым, мерзімі:
