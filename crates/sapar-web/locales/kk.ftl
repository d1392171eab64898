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
role-holder = карта иесі (өзіне-өзі қызмет көрсету)
role-host = қабылдаушы тарап

## Навигация
nav-border = Шекара бекеті
nav-search = Тұлғаларды іздеу
nav-violations = Бұзушылықтар
nav-review = Жеке басын салыстыру
nav-audit = Қол жеткізу журналы
nav-users = Пайдаланушылар
nav-tokens = API-токендер
nav-control = Бақыланатын тұлғалар тізілімі

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
purpose-own-data = Карта иесі өз мәртебесін қарайды

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
permit-work-permit = Еңбек қызметіне рұқсат
violation-kind = Құқық бұзушылық түрі
violation-kind-overstay = Болу мерзімін бұзу
violation-kind-registration-failure = Болу орны бойынша тіркелмеу
violation-kind-illegal-work = Рұқсатсыз еңбек қызметі
violation-kind-document-rules = Құжаттар қағидаларын бұзу
violation-kind-employer-violation = Шетелдік жұмыс күшін заңсыз тарту
violation-article = Бап
violation-fine = Айыппұл
violation-fine-unit = Айыппұл бірлігі
violation-decision-ref = Қаулының нөмірі
violation-penalty = Жаза (бап, қаулы, айыппұл)
violation-paid = төленді
violation-unpaid = төленбеген

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
finding-purpose-not-allowed = Болу қағидасы мәлімделген мақсатқа қолданылмайды, оған рұқсат жоқ:
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

## Бақыланатын тұлғалар тізілімі
person-control = Бақыланатын тұлғалар тізілімі
control-title = Бақыланатын тұлғалар тізілімі
control-filter = Көрсетілетін жазбалар
control-filter-active = Тізілімде
control-filter-removed = Шығарылғандар
control-count = { $count ->
    [one] { $count } жазба
   *[other] { $count } жазба
}
control-overdue-count = { $count ->
    [one] { $count } өтініштің мерзімі өтті
   *[other] { $count } өтініштің мерзімі өтті
}
control-pending-count = { $count ->
    [one] Шығару туралы { $count } өтініш шешімді күтуде
   *[other] Шығару туралы { $count } өтініш шешімді күтуде
}
control-empty = Жазбалар жоқ.
control-not-listed = Бақыланатын тұлғалар тізілімінде жоқ.
control-person = Тұлға
control-ground = Негіз
control-included-on = Енгізілген күні
control-included-at = Енгізілді
control-pending-applications = Шешімді күтіп тұрған шығару туралы өтініштер
control-removed-on = Шығарылған күні
control-overdue = Мерзімі өтті
control-pending = Шешімді күтуде
control-pages = Беттер
control-page = { $count }-бет
control-previous = Алдыңғы бет
control-next = Келесі бет
control-entry-title = Бақыланатын тұлғалар тізілімінің жазбасы
control-active = Тізілімде
control-removed = Шығарылды
control-open-person = Тұлғаның карточкасын ашу
control-open-listed = Тұлға тізілімде тұрған жазбаны ашу
control-basis = Құқықтық негіз
control-basis-hint = Акт және бап, мысалы: ҚР «Халықтың көші-қоны туралы» Заңы, 48-бап.
control-decision = Шешім
control-decided-on = Шешім күні
control-decided-by = Шешім қабылдаған
control-recorded-by = Енгізген
control-restrictions = Шектеулер
control-restrictions-explain = Тұлға тізілімде тұрған кезде заң мыналарды шектейді:
control-notices = Тұлғаға хабарламалар
control-notice-none = Хабарлама енгізілмеген: тұлға тізілімге енгізілгенін білмеуі мүмкін.
control-notice-channel = Жіберу тәсілі
control-notice-sent-on = Жіберілген немесе табысталған күні
control-notice-record = Хабарламаны енгізу
control-notice-print = Басып шығаруға арналған хабарлама — орыс тілінде және тұлғаның тілінде
control-notice-title = Бақыланатын тұлғалар тізіліміне енгізу туралы хабарлама
control-notice-print-hint = Бетті браузердің басып шығару командасымен басып шығарыңыз, хабарламаны тұлғаға табыстаңыз немесе жіберіңіз де, оны енгізіңіз.
control-notice-also-in = Орыс тілімен бірге:
control-notice-back = Жазбаға оралу
control-applications = Шығару туралы өтініштер
control-applications-none = Өтініш берілмеген.
control-application-file = Шығару туралы өтінішті қабылдау
control-application-explain = Өтінішті тұлғаның өзі, оның өкілі немесе азаматтығындағы мемлекет бере алады. Шешім өтініш берілген күннен бастап 10 жұмыс күні ішінде қабылданады.
control-application-filed = Берілді
control-application-applicant = Өтініш беруші
control-application-applicant-name = Өтініш берушінің аты
control-application-grounds = Негіз
control-application-statement = Өтініштің мазмұны
control-application-documents = Қоса берілген құжаттар
control-application-documents-hint = Әр жолда бір құжат.
control-application-due = Шешім мерзімі
control-application-status = Күйі
control-application-decide = Шешім қабылдау
control-decision-title = Шығару туралы өтініш бойынша шешім
control-decision-label = Шешім
control-decision-grant = Қанағаттандыру: тізілімнен шығару
control-decision-deny = Бас тарту
control-decision-reasons = Шешімнің дәлелдері
control-decision-appeal-route = Шағымдану тәртібі
control-decision-appeal-route-hint = Бас тартқанда міндетті: шешімге қайда және қандай мерзімде шағымдануға болады.
control-decision-submit = Шешімді енгізу
control-history = Жазбаның және шығарудың тарихы
control-history-included = Тізілімге енгізілді
control-history-notice = Хабарлама енгізілді
control-history-filed = Шығару туралы өтініш берілді
control-history-granted = Өтініш қанағаттандырылды
control-history-denied = Өтініштен бас тартылды
control-history-removed = Тізілімнен шығарылды
control-include = Бақыланатын тұлғалар тізіліміне енгізу
control-include-explain = Тұлға тек тізбедегі негіз бойынша және шешіммен енгізіледі. Шектеулер шығарылғанға дейін қолданылады; тұлғаға хабарлама берілуі тиіс.
control-cancel = Шығару: шешім жойылды
control-cancel-explain = Енгізу негізделген шешім жойылса, тұлға тізілімнен шығарылады. Дәлелдер жазбаның тарихына енгізіледі.
control-cancel-reasons = Дәлелдер және жою туралы шешім
control-cancel-submit = Тізілімнен шығару
control-ground-illegal-entry = Заңсыз келу
control-ground-court-sentence = Сот үкімі
control-ground-permit-expired-or-annulled = Визаның немесе рұқсаттың мерзімінің өтуі не күшін жоюы
control-ground-stay-shortened = Болу мерзімін қысқарту туралы шешім
control-ground-deportation = Депортациялау туралы шешім
control-ground-readmission = Реадмиссия туралы шешім
control-ground-expulsion = Әкімшілік жолмен шығарып жіберу туралы шешім
control-ground-citizenship-lost = Азаматтықтың тоқтатылуы
control-ground-refugee-status-refused = Босқын деп танудан бас тарту немесе мәртебеден айыру
control-ground-entry-ban = Елге кіруге тыйым салу туралы шешім
control-restriction-driving-licence = жүргізуші куәлігін беру
control-restriction-bank-operations-limited = банк операциялары (шектеулі)
control-restriction-marriage = некені тіркеу
control-restriction-change-of-residence = рұқсатсыз тұрғылықты жерді ауыстыру
control-restriction-property-and-company-registration = мүлікті және заңды тұлғаларды тіркеу
control-removal-departure = елден шығу
control-removal-legalised-status = болу рұқсатпен заңдастырылды
control-removal-decision-cancelled = шешім жойылды
control-removal-application-granted = шығару туралы өтініш қанағаттандырылды
control-channel-in-person = Жеке табысталды
control-channel-post = Поштамен
control-channel-email = Электрондық поштамен
control-channel-sms = SMS-хабарламамен
control-channel-consular = Консулдық арқылы
control-applicant-person = Тұлғаның өзі
control-applicant-representative = Өкілі
control-applicant-state = Азаматтығындағы мемлекет
control-application-ground-departure = Шығу
control-application-ground-legalised-status = Болудың заңды негізі
control-application-ground-decision-cancelled = Шешімнің жойылуы
control-application-ground-court-ruling = Сот шешімі
control-application-ground-error = Қателікпен енгізілген
event-control-included = Бақыланатын тұлғалар тізіліміне енгізілді
event-control-removed = Бақыланатын тұлғалар тізілімінен шығарылды
form-error-invalid-choice = Нұсқалардың бірін таңдаңыз.
form-error-appeal-route-required = Бас тартуда оған қайда және қандай мерзімде шағымдануға болатыны көрсетіледі: шағымдану тәртібін толтырыңыз.
form-error-note-too-long = Мәтін тым ұзын: 2000 таңбадан аспауы тиіс.
form-error-already-listed = Тұлға бақыланатын тұлғалар тізілімінде тұр.
form-error-entry-removed = Жазба тізілімнен шығарылған: бұл әрекет енді мүмкін емес.
form-error-already-decided = Бұл өтініш бойынша шешім қабылданып қойған.
form-error-no-calendar = Мерзімді есептеу мүмкін емес: сол жылдың өндірістік күнтізбесі жүктелмеген. Әкімшіге хабарлаңыз.
violation-record = Құқық бұзушылықты тіркеу
violation-article-hint = Көрсетілмесе, осы түрге арналған кодекс бабы жазылады
violation-description = Сипаттамасы
violation-employer = Жұмыс беруші
violation-decision-ref-hint = Қаулының нөмірі мен күні; қаулысы бар құқық бұзушылық бірден расталады
violation-payment = Айыппұлдың төленуін тіркеу
violation-paid-on = Төленген күні
violation-payment-reference = Түбіртектің немесе төлемнің нөмірі
violation-payment-reference-hint = Түбіртекте көрсетілгендей
form-error-invalid-registration-number = БСН — 12 цифр, соңғысы бақылау цифры: нөмірді тексеріңіз.
form-error-invalid-fine-amount = Айыппұл сомасы — нөлден кем емес бүтін сан.
form-error-invalid-fine-unit = Айыппұл бірлігін тізімнен таңдаңыз.
form-error-article-required = Бұл түр үшін бап берілмеген: бапты көрсетіңіз.
form-error-employer-required = Жұмыс берушінің құқық бұзушылығы: жұмыс берушіні таңдаңыз.
form-error-unknown-employer = Мұндай жұмыс беруші тізілімде жоқ.
form-error-duplicate-employer = Бұл нөмірлі жұмыс беруші тізілімде бар.
form-error-no-fine = Бұл құқық бұзушылыққа айыппұл салынбаған.
form-error-already-paid = Бұл айыппұлдың төленуі тіркелген.
form-error-violation-dismissed = Құқық бұзушылық қабылданбады: айыппұл төленбейді.
nav-employers = Жұмыс берушілер
employers-title = Жұмыс берушілер
employers-find = Атауы немесе БСН
employer-name = Атауы
employer-number = БСН (тіркеу нөмірі)
employer-number-hint = 12 цифр; бос орындар мен сызықшалар маңызды емес
employer-region = Өңір
employer-address = Мекенжайы
employer-recorded = Енгізілген
employer-record = Жұмыс берушіні енгізу
employer-violations = Құқық бұзушылықтар
employer-worker = Жұмыскер
employer-open-worker = Жазбаны ашу

# Мигрант картасы
person-card = Мигрант картасы
warning = Назар аударыңыз
card-number = Карта нөмірі
card-status = Мәртебесі
card-status-valid = Жарамды
card-status-expired = Мерзімі өтті
card-status-revoked = Күші жойылды
card-revoked-exit = шығу кезінде
card-revoked-expulsion = шығарып жіберу кезінде
card-revoked-ban = кіруге тыйым салуға байланысты
card-revoked-replaced = жаңа картамен ауыстырылды
card-revoked-officer = қызметкердің шешімімен
card-issued-on = Берілген күні
card-valid-until = Жарамдылық мерзімі
card-print = Картаны басып шығару
card-download-pdf = Басып шығаруға арналған карта (PDF, A6)
card-qr-alt = Картаның қол қойылған мөрі QR-код түрінде
card-none = Карта берілмеген.
card-issue = Жаңа карта беру
card-refused-no-legal-stay = Карта берілмеді: тұлға елде заңды негізде болмай отыр.
card-refused-not-issuable = Карта берілмеді: тізілімде туған күні немесе жеке басын куәландыратын құжаты жоқ.
card-title = Мигрант картасы
card-print-hint = Бетті басып шығарыңыз; QR-код мемлекеттің сертификаты бойынша желісіз тексеріледі.
card-photo = Фото
card-heading = Қазақстан Республикасының мигрант картасы
card-document = Жеке басын куәландыратын құжат
card-verify-hint = Тексеру: sapar card verify --ca ca.pem
# Өзіне-өзі қызмет көрсету
self-title = Менің болу мерзімім және мигрант картам
self-intro = Болу күндерін, соңғы заңды күнді, тіркеу мерзімін және карта мәртебесін білу үшін шекарадан өткен құжаттың нөмірін, мигрант картасының нөмірін және туған күніңізді енгізіңіз.
self-document-number = Паспорттың немесе өзге құжаттың нөмірі
self-card-number-hint = Картада басылғандай, мысалы KAZ0000000017
self-birth-date-hint = Жыл-ай-күн, мысалы 1994-03-08
self-submit = Мәртебені көрсету
self-registration-due = Болу орны бойынша тіркелу мерзімі
self-not-listed = Сіз бақылау тізімінде жоқсыз.
self-removal-how = Негіздің жойылғанын растайтын құжаттарды қоса беріп, көші-қон қызметіне немесе өз мемлекетіңіздің құзыретті органы арқылы тізімнен шығару туралы жазбаша өтініш бере аласыз. Шешім туралы сізге хабарланады.
self-again = Қайта тексеру
self-denied = Бұл деректер ешбір картаға сәйкес келмейді. Тексеріп, қайталап көріңіз.
self-throttled = Сәтсіз әрекеттер тым көп. Он бес минуттан кейін қайталаңыз.
# Registration of place of stay.
person-registrations = Тұрған жері бойынша тіркеулер
registration-file = Тұрған жері бойынша тіркеу
registration-address = Мекенжай
registration-region = Облыс немесе қала
registration-locality = Елді мекен
registration-street = Көше
registration-building = Үй
registration-flat = Пәтер
registration-period = Болу мерзімі
registration-from = Бастап
registration-until = Дейін
registration-party = Қабылдаушы тарап
registration-party-kind = Шетелдікті кім қабылдайды
registration-party-name = Атауы немесе аты-жөні
registration-party-name-hint = Мигрант өзі тіркелсе, бос қалдырыңыз: жазбадағы аты алынады.
registration-party-identity = Құжат нөмірі немесе БСН
registration-party-identity-hint = Жеке тұлғаның жеке басын куәландыратын құжат нөмірі; ұйымның БСН.
registration-party-private-person = Жеке тұлға
registration-party-legal-entity = Ұйым (қонақ үй, жұмыс беруші)
registration-party-migrant = Мигранттың өзі
registration-state = Күйі
registration-state-submitted = Берілді
registration-state-accepted = Қабылданды
registration-state-refused = Бас тартылды
registration-state-superseded = Жаңа мекенжаймен ауыстырылды
registration-state-ended = Тоқтатылды
registration-end-exit = шығу
registration-end-deregistered = есептен шығару
registration-due = Тіркеу мерзімі
registration-late = Кешіктірілді
registration-change = Ұзарту немесе тоқтату
registration-change-day = Күні: жаңа соңғы күн немесе тоқтату күні
registration-change-note = Ескертпе (тоқтатқанда)
registration-extend = Осы күнге дейін ұзарту
registration-end = Осы күннен тоқтату
form-error-unknown-region = Тізімнен облысты немесе қаланы таңдаңыз.
form-error-invalid-period = Мерзім басталмай тұрып аяқталады немесе жаңа күн қазіргі соңынан кеш емес.
form-error-person-not-in-country = Тұлға елде жоқ: кейін шықпаған кіру жоқ.
form-error-registration-ended = Бұл тіркеу енді күшінде емес.
self-registration = Болу орны бойынша тіркеу
self-registration-state-registered = Тіркелген
self-registration-state-due = Әлі тіркелмеген
self-registration-state-overdue = Мерзімі өтті: дереу тіркеліңіз
self-registration-state-not-required = Талап етілмейді

# A receiving party's desk
nav-host = Қонақтарды тіркеу
host-title = Шетелдікті болатын жері бойынша тіркеу
host-intro = Қонақтың құжаты мен туған күнін паспортта жазылғандай, мекенжай мен болу мерзімін көрсетіңіз. Қонақ туралы тізілімдегі деректер көрсетілмейді.
host-guest = Қонақ
host-guest-state = Паспортты берген мемлекет
host-guest-state-hint = Үш әріпті код, мысалы KGZ, UZB, TJK.
host-guest-number = Паспорт нөмірі
host-guest-not-found = Мұндай құжаты мен туған күні бар шетелдік табылмады. Мемлекет кодын, нөмірді және туған күнді тексеріңіз.
host-filed = Тіркеу берілді
host-reference = Тіркеу нөмірі
host-late = Кешігіп берілді: мерзімі өтті
host-on-time = Мерзімінде берілді; соңғы мерзім —
form-error-unknown-country = Мұндай мемлекет коды жоқ. Үш әріпті кодты енгізіңіз, мысалы KGZ.
form-error-invalid-country = Мемлекет коды — үш латын әрпі, мысалы KGZ.
form-error-specimen-country = UTO — ИКАО үлгісі, мемлекет емес.
form-error-issuer-not-a-state = Бұл код мемлекетті емес, азаматтығы жоқ адамның немесе босқынның құжатын білдіреді.
form-error-invalid-document-number = Құжат нөмірі: латын әріптері мен цифрлар, 20 таңбаға дейін.

# Claims and bulk decisions in the queues
queue-claim = Жұмысқа алу
queue-release = Кезекке қайтару
queue-claimed-by = Жұмыста:
queue-claimed-by-you = Сіздің жұмысыңызда
queue-claimed-by-other = Бұл жазбаны басқа қызметкер жұмысқа алып қойған.
queue-select = Белгілеу
queue-bulk-selected = Белгіленген жазбалармен
queue-bulk-none = Кемінде бір жазбаны белгілеңіз.
queue-bulk-done = Дайын
queue-bulk-title = Бірнеше жазба бойынша шешім
queue-bulk-to-decide = Шешім қабылданады
queue-bulk-to-skip = Өткізіліп жіберіледі
queue-bulk-nothing = Шешетін ештеңе жоқ: белгіленген жазбалардың бәрі өткізіледі.
queue-bulk-confirm = Шешімді растау
queue-skip-decided = шешім қабылданып қойған
queue-skip-claimed = жұмыста:
queue-bulk-decided = { $count ->
    [one] { $count } жазба шешілді.
   *[other] { $count } жазба шешілді.
}
queue-bulk-skipped = { $count ->
    [one] { $count } өткізілді.
   *[other] { $count } өткізілді.
}

## Treaty case desk
nav-cases = Алмасу істері
cases-title = Алмасу туралы келісімдер бойынша істер
cases-not-configured = Бұл түйінде басқа мемлекеттермен мәлімет алмасу бапталмаған.
cases-filter = Істерді іріктеу
cases-filter-open = Ашық
cases-filter-due-soon = Мерзімі бітуде
cases-filter-overdue = Мерзімі өткен
cases-filter-closed = Жабық
cases-partner = Әріптес мемлекет
cases-partner-all = Барлығы
cases-apply = Көрсету
cases-empty = Мұндай істер жоқ.
cases-case = Іс
cases-direction = Бағыты
cases-incoming = Кіріс
cases-outgoing = Шығыс
cases-state = Жай-күйі
cases-deadline = Жауап мерзімі
cases-last-activity = Соңғы хабар
cases-answered-on-time = Жауап мерзімінде берілді
cases-answered-late = Жауап кешігіп берілді
cases-not-answered = Жауапсыз жабылды
cases-due-today = Мерзімі бүгін бітеді
case-title = Іс
case-received-on = Сұрау алынды
case-messages = Хабарлар
case-message-in = Алынды
case-message-out = Жіберілді
case-body-destroyed = Мазмұны сақтау мерзімі біткен соң жойылды; оның хеші хабарлар журналында қалады.
case-in-reply-to = Жауап ретінде:
case-back = Барлық істер
case-delivery-pending = жеткізуді күтуде
case-delivery-delivered = жеткізілді
case-delivery-rejected = әріптес қабылдамады
cases-days-left = { $count ->
    [one] { $count } күн қалды
   *[other] { $count } күн қалды
}
cases-overdue-by = { $count ->
    [one] { $count } күнге кешікті
   *[other] { $count } күнге кешікті
}
case-state-queried = Мәліметтің бар-жоғы туралы сұрау
case-state-hit-reported = Мәліметтің бар-жоғы туралы жауап берілді
case-state-requested = Сұрау алынды
case-state-in-progress = Орындалуда
case-state-clarification-requested = Нақтылау сұралды
case-state-postponed = Орындау кейінге қалдырылды
case-state-authenticity-queried = Түпнұсқалығы тексерілуде
case-state-confidentiality-notified = Құпиялылық туралы хабарлама
case-state-answered = Жауап берілді
case-state-refused = Бас тартылды
case-state-withdrawn = Кері қайтарылды
case-state-noticed = Хабарлама
case-state-closed = Жабық
message-type-query = Мәліметтің бар-жоғы туралы сұрау
message-type-hit-result = Мәліметтің бар-жоғы туралы жауап
message-type-request = Сұрау
message-type-ack = Алынғанын растау
message-type-clarification-request = Нақтылау сұрау
message-type-clarification = Нақтылау
message-type-delay-notice = Кідіріс туралы хабарлама
message-type-postponement = Орындауды кейінге қалдыру
message-type-postponement-decision = Кейінге қалдыру туралы шешім
message-type-answer = Жауап
message-type-refusal = Бас тарту
message-type-authenticity-query = Түпнұсқалық туралы сұрау
message-type-authenticity-confirmation = Түпнұсқалықты растау
message-type-confidentiality-notice = Құпиялылық туралы хабарлама
message-type-confidentiality-decision = Құпиялылық туралы шешім
message-type-consent-request = Келісім сұрау
message-type-consent-decision = Келісім туралы шешім
message-type-notice = Хабарлама
message-type-signatory-list = Қол қоюшылар тізімі
message-type-authority-change = Құзыретті органның өзгеруі
message-type-statistics = Статистика
message-type-legislation-update = Заңнаманың өзгеруі
message-type-agreement-notice = Келісім бойынша хабарлама
message-type-withdrawal = Сұрауды кері қайтару
case-step-title = Келесі қадам
case-step-kind = Әріптеске хабар
case-step-text = Мәтін (кідіріс пен кейінге қалдыру үшін — себебі)
case-step-date = Күні
case-step-date-hint = Кідіріс үшін — жауап қашан күтілетіні, кейінге қалдыру үшін — қай күнге дейін; ЖЖЖЖ-АА-КК
case-step-conditions = Кейінге қалдыру шарттары
case-step-send = Қол қойып жіберу
case-step-sent = Жіберілді
case-step-text-required = Хабардың мәтінін жазыңыз.
case-step-date-invalid = Күн ЖЖЖЖ-АА-КК түрінде жазылады.
case-step-refused = Әріптес істің қазіргі жай-күйінде бұл хабарды қабылдамас еді; ол жіберілмеді
nav-channels = Алмасу арналары
channels-title = Шығыс алмасу арналары
channels-explain = Әр арна — бір келісім, бір әріптес мемлекет, бір бағыт. Жазбалары әріптестікімен сәйкес келмейтін арна тоқтатылады; екі түйін қайта келіскенде оны жалғастырыңыз.
channels-empty = Әзірге арна жоқ: бірде-бір хабар жіберілмеген.
channels-channel = Арна
channels-delivered = Соңғы жеткізілген №
channels-queued = Кезекте
channels-state = Жай-күйі
channels-halted = Тоқтатылған
channels-delivering = Жеткізуде
channels-resume = Жалғастыру
channels-resumed = Арна жалғастырылды
channels-not-resumed = Арна жалғастырылмады
