## Жалпы
service-name = Бирдиктүү миграциялык реестр
skip-to-main = Негизги мазмунга өтүү
footer-note = Sapar — миграциялык реестр жана мамлекеттер аралык келишимдер боюнча алмашуу түйүнү. Жеке маалыматтардын ар бир окулушу жетүү журналына жазылат.
nav-label = Бөлүмдөр
language-label = Тил
logout = Чыгуу
back-home = Башкы бетке
error-summary-title = Көйгөй бар
none-recorded = Жазуулар жок
days-count = { $count ->
    [one] { $count } күн
   *[other] { $count } күн
}

## Ролдор
role-border = чек ара көзөмөлү
role-officer = миграция инспектору
role-exchange = алмашуу боюнча кызматкер
role-signatory = кол коюучу
role-analyst = аналитик
role-auditor = аудитор
role-admin = администратор
role-holder = картанын ээси (өзүн-өзү тейлөө)
role-host = кабыл алуучу тарап

## Навигация
nav-border = Чек ара посту
nav-search = Адамдарды издөө
nav-violations = Бузуулар
nav-review = Инсандыкты салыштыруу
nav-audit = Жетүү журналы
nav-users = Колдонуучулар
nav-tokens = API-токендер
nav-control = Көзөмөлдөнүүчү адамдардын реестри

## Каталар
error-not-found-title = Бет табылган жок
error-not-found-body = Мындай бет же жазуу жок. Даректи текшериңиз же башкы бетке кайтыңыз.
error-forbidden-title = Жетүү укугу жок
error-forbidden-body = Сиздин ролуңуз бул бетке жетүүгө мүмкүндүк бербейт.
error-csrf-title = Форма четке кагылды
error-csrf-body = Форма жарактуу коргоо ачкычысыз келди. Бетти кайра ачып, аракетти кайталаңыз.
error-unavailable-title = Кызмат убактылуу жеткиликсиз
error-unavailable-body = Сурамды аткаруу мүмкүн болгон жок. Бир мүнөттөн кийин кайра аракет кылыңыз; ката кайталанса, администраторго кабарлаңыз.

## Системага кирүү
login-title = Системага кирүү
login-name = Колдонуучунун аты
login-password = Сырсөз
login-submit = Кирүү
login-refused = Колдонуучунун аты же сырсөз туура эмес.
login-throttled = Ийгиликсиз аракеттер өтө көп. { $count ->
    [one] { $count } мүнөттөн
   *[other] { $count } мүнөттөн
} кийин кайталаңыз.
login-expired = Аракетсиздиктен улам сеанс аяктады. Кайра кириңиз — суралган бетке кайтасыз.

## Башкы бет
home-title = Жумуш орду
home-nothing = Сиздин ролуңуз үчүн азырынча жумуш бөлүмдөрү жок.

## Жетүү максаты
purpose-title = Жетүү максатын көрсөтүңүз
purpose-explain = Жеке маалыматтар көрсөтүлө электе алар эмне үчүн керек экенин көрсөтүңүз. Жетүү тууралуу жазуу (ким, качан, кимдин маалыматтарына, кандай максатта) жетүү журналына түшөт.
purpose-label = Жетүү максаты
purpose-choose = Максатты тандаңыз
purpose-note-label = Түшүндүрмө (милдеттүү эмес)
purpose-open = Ачуу
purpose-required = Жетүү максатын көрсөтүңүз.
purpose-border-check = Чек ара көзөмөлү
purpose-stay-control = Өлкөдө болууну көзөмөлдөө
purpose-permit-decision = Уруксат боюнча чечим
purpose-enforcement = Укук колдонуу
purpose-exchange-request = Алмашуу жөнүндө келишим боюнча сурам
purpose-audit = Аудит
purpose-statistics-quality = Статистиканын сапатын текшерүү
purpose-own-data = Картанын ээси өз абалын карайт

## Издөө
search-title = Адамдарды издөө
search-label = Аты, фамилиясы же документтин номери
search-hint = Каалаган тилде жана каалаган транслитерацияда: «Ерлан», «YERLAN» жана «ERLAN» бир эле адамды табат.
search-birth-date = Туулган күнү
search-citizenship = Жарандыгы (үч тамгалуу код)
search-submit = Издөө
search-results = Издөөнүн натыйжалары
search-found = { $count ->
    [one] { $count } адам табылды
   *[other] { $count } адам табылды
}
search-truncated = Бардык дал келүүлөр көрсөтүлгөн жок: сурамды тактаңыз.
search-too-long = Сурам өтө узун: { $count } белгиден ашпашы керек.
search-bad-date = Туулган күнү туура эмес көрсөтүлгөн.
search-bad-citizenship = Жарандык коду таанылган жок: үч тамга көрсөтүңүз, мисалы, KGZ.

## Адам
person-name = Ф.А.А.
person-title = Адамдын карточкасы
person-birth-date = Туулган күнү
person-citizenship = Жарандыгы
person-documents = Документтер
person-identity = Инсандыгы
person-sex = Жынысы
person-id = Реестрдеги идентификатор
person-stay = Өлкөдө болуу
person-crossings = Чек арадан өтүүлөр
person-permits = Уруксаттар
person-violations = Бузуулар
person-read-for = Маалыматтарды ачуу максаты
person-merged-from = Суралган жазуу ушул жазуу менен бириктирилген:
sex-m = эркек
sex-f = аял
sex-x = көрсөтүлгөн эмес
document-type = Документтин түрү
document-number = Документтин номери
document-expiry = Жарактуулук мөөнөтү
crossing-entry = Кирүү
crossing-exit = Чыгуу
crossing-refused = Кирүүдөн баш тартылды
stay-on = Күнү
stay-status = Статусу
stay-absent = Өлкөдө жок
stay-legal = Болуусу мыйзамдуу
stay-overstay = Болуу мөөнөтүн ашыруу
stay-days-used = Пайдаланылган күндөр
stay-days-left = Калган күндөр
stay-last-legal-day = Мыйзамдуу болуунун акыркы күнү
stay-basis = Укуктук негиз
stay-not-judged = Болуу эрежелери бул адам боюнча корутунду чыгарууга мүмкүндүк бербейт.
permit-kind = Уруксаттын түрү
permit-valid-from = Аракетинин башталышы
permit-valid-to = Аракетинин аякташы
permit-revoked-from = Жокко чыгарылган күнү
permit-temporary-residence = Убактылуу жашоого уруксат
permit-permanent-residence = Жашоого уруксат
permit-long-stay-visa = Узак мөөнөттүү виза
violation-detected = Аныкталган күнү
violation-days = Мөөнөттөн ашыруу
violation-status = Статусу
violation-rule = Эреже
violation-status-draft = чечим күтүүдө
violation-status-confirmed = тастыкталды
violation-status-dismissed = четке кагылды
permit-work-permit = Эмгек ишмердүүлүгүнө уруксат
violation-kind = Укук бузуунун түрү
violation-kind-overstay = Болуу мөөнөтүн бузуу
violation-kind-registration-failure = Болгон жери боюнча каттоодон өтпөө
violation-kind-illegal-work = Уруксатсыз эмгек ишмердүүлүгү
violation-kind-document-rules = Документтер эрежелерин бузуу
violation-kind-employer-violation = Чет элдик жумушчу күчүн мыйзамсыз тартуу
violation-article = Берене
violation-fine = Айып пул
violation-fine-unit = Айып пулдун бирдиги
violation-decision-ref = Токтомдун номери
violation-penalty = Жаза (берене, токтом, айып пул)
violation-paid = төлөндү
violation-unpaid = төлөнгөн эмес

## Чек ара посту
border-title = Чек ара посту
border-mrz = Документтин машина менен окулуучу зонасы
border-mrz-hint = Документти сканерлеңиз же MRZ саптарын коюңуз.
border-point = Өткөрүү пункту
border-check = Текшерүү
border-result = Текшерүүнүн натыйжасы
border-open-person = Адамдын карточкасын ачуу
border-record-entry = Кирүүнү каттоо
border-record-exit = Чыгууну каттоо
border-refusal = Кирүүдөн баш тартуу
border-refusal-ground = Баш тартуунун негизи
border-refusal-note = Эскертүү (милдеттүү эмес)
border-refuse-entry = Кирүүдөн баш тартуу
recorded-refusal = Кирүүдөн баш тартуу жазылды.
refusal-ground-entry-ban = Күчүндөгү кирүүгө тыюу
refusal-ground-invalid-document = Документ жараксыз же мөөнөтү өткөн
refusal-ground-no-visa = Виза жок
refusal-ground-no-days-left = Мыйзамдуу болуу күндөрү калган жок
refusal-ground-stay-rules-breach = Болуу эрежелерин мурда бузган
refusal-ground-control-register = Көзөмөл реестрине киргизилген
refusal-ground-false-purpose = Сапардын максаты ырасталбайт
refusal-ground-public-safety = Мамлекеттин коопсуздугу, коомдук тартип же ден соолук
refusal-ground-other = Башка (эскертүүдө көрсөтүңүз)
finding-document-expired = Документтин жарактуулук мөөнөтү бүткөн:
finding-overstaying = Болуу мөөнөтү ашырылды:
finding-new-person = Адам реестрде биринчи жолу.
finding-no-stay-rule = Бул жарандык үчүн болуу эрежелери жок.
finding-overstay-history = Реестрдеги болуу мөөнөтүн бузуулар:
finding-overstay-longest = эң узак ашыруу
finding-overstay-of-candidate = балким ошол эле адамда
finding-overstay-of-holder = документтин ээсинде
finding-stay-not-judged = Болуу эрежелери бул болууну баалай албайт:
finding-stay = Болуу:
finding-purpose-not-allowed = Болуу эрежеси билдирилген максатка тиешелүү эмес, ага уруксат жок:
border-advice = Сунуш
advice-admit = Өткөрүү
advice-refer = Кошумча текшерүүгө жөнөтүү
advice-refuse = Кирүүдөн баш тартуу
border-checks = Текшерүүлөр
border-check-finding = Натыйжа
border-check-basis = Укуктук негиз
border-candidates = Башка документ боюнча ошол эле адам болушу мүмкүн
border-candidates-hint = Каалаган жазуудагы аты, туулган күнү жана жарандыгы боюнча табылды; ыктымалдыкты реестрдин жазууларды байланыштыруу модели берет.
border-probability = Ыктымалдык
recorded-entry = Кирүү катталды.
recorded-exit = Чыгуу катталды.
exit-without-entry = Чыгууну каттоого болбойт: адамдын буга чейинки кирүүсү жок.

## Кезектер
violations-title = Чечим күткөн бузуулар
review-title = Инсандыкты салыштыруу
queue-empty = Кезек бош.
queue-days-waiting = Күтүүдө
queue-decision = Чечим
queue-note = Эскертүү
queue-note-required = Бузууну четке кагуу үчүн эскертүүдө себебин көрсөтүңүз.
queue-already-decided = Бул жазуу боюнча чечимди башка кызматкер кабыл алып койгон.
queue-not-decided = Чечим жазылган жок: киргизилген маалыматтарды текшериңиз.
violation-confirm = Тастыктоо
violation-dismiss = Четке кагуу
review-probability = Дал келүү ыктымалдыгы
review-explanation = Система эмне үчүн жазууларды окшош деп эсептейт
review-match = Бул бир эле адам
review-non-match = Булар ар башка адамдар

## Жетүү журналы
audit-title = Жетүү журналы
audit-user = Колдонуучу
audit-person = Адам (идентификатор)
audit-from = Башталыш күнү
audit-until = Аяктоо күнү
audit-any-purpose = Каалаган максат
audit-apply = Колдонуу
audit-csv = CSV жүктөп алуу
audit-at = Убакыт
audit-view = Эмне ачылды
audit-address = Дарек
audit-next = Кийинки бет
audit-bad-filter = Чыпка таанылган жок
audit-count = { $count ->
    [one] { $count } жазуу
   *[other] { $count } жазуу
}

## Башкаруу
users-title = Колдонуучулар
users-name = Аты
users-role = Ролу
users-since = Түзүлгөн күнү
users-status = Абалы
users-disabled = Өчүрүлгөн
users-disable = Өчүрүү
users-new = Жаңы колдонуучу
users-password = Сырсөз
users-password-hint = Кеминде 12 белги.
users-create = Колдонуучу түзүү
users-created = Колдонуучу түзүлдү
users-bad-role = Тизмеден ролду тандаңыз.
users-bad-name = Аты: 1–100 белги — тамгалар, цифралар, чекит, дефис жана астын сызуу.
users-name-taken = Бул аттагы колдонуучу мурунтан эле бар.
users-weak-password = Сырсөз өтө кыска: кеминде 12 белги керек.
tokens-title = API-токендер
tokens-explain = Автоматташтырылган системалар үчүн токендер. Алар «sapar tokens» буйругу менен түзүлөт жана кайтарылып алынат; купуя ачкыч бир гана жолу көрсөтүлөт.
tokens-expires = Мөөнөтү бүтөт
tokens-revoked = Кайтарылып алынган

## Entry bans and partner events
person-bans = Өлкөгө кирүүгө тыюулар
ban-period = Мөөнөтү
ban-ground = Негизи
ban-decision = Чечим
ban-decision-hint = Чечимдин номери жана датасы, документтегидей.
ban-status = Абалы
ban-in-force = Күчүндө
ban-lifted-from = Алынган күнү:
ban-ended = Мөөнөтү бүттү
ban-not-yet = Азырынча башталган жок
ban-ground-expulsion = Чыгарып жиберүү, депортация же реадмиссия
ban-ground-court-decision = Соттун чечими
ban-ground-administrative-decision = Ыйгарым укуктуу органдын чечими
ban-ground-partner-notice = Өнөктөш мамлекеттин билдирүүсү
ban-ground-other = Башка негиз
ban-record = Кирүүгө тыюуну киргизүү
ban-from = Тыюунун биринчи күнү
ban-until = Тыюунун акыркы күнү
ban-basis = Укуктук негиз
ban-basis-hint = Мыйзам жана берене, мисалы: КР «Калктын миграциясы жөнүндө» Мыйзамы, 67-берене.
ban-decided-by = Чечимди ким кабыл алды (сиз болбосоңуз)
ban-lift = Тыюуну мөөнөтүнөн мурда алып салуу
ban-lift-from = Тыюу кайсы күндөн тарта күчүн жоготот
ban-lift-from-hint = ЖЖЖЖ-АА-КК; бош болсо — бүгүн.
ban-lift-reason = Алып салуунун себептери
ban-lift-decision = Алып салуу жөнүндө чечим
date-hint = ЖЖЖЖ-АА-КК, мисалы 2030-04-11.
error-prefix = Ката
form-cancel = Жокко чыгаруу
form-error-missing-field = Бул талааны толтуруңуз.
form-error-too-long = Текст өтө узун.
form-error-invalid-date = Датаны ЖЖЖЖ-АА-КК түрүндө киргизиңиз.
form-error-date-out-of-range = Дата уруксат берилген жылдардан тышкары (1900–2199).
form-error-invalid-ground = Тизмеден негизди тандаңыз.
form-error-reason-required = Чечимдин себептерин көрсөтүңүз.
form-error-ban-ends-before-start = Акыркы күн биринчиден эрте.
form-error-ban-already-ended = Тыюу бул күндөн мурда бүткөн: алып салууга эч нерсе жок.
form-error-already-lifted = Бул тыюу мурда эле алынган.
person-events = Өнөктөш мамлекеттер үчүн окуялар
person-events-explain = Жарандык мамлекетине билдирүү талап кылынышы мүмкүн болгон окуялар (Макулдашуунун 6.2 жана 9-беренелери).
event-at = Качан
event-kind = Окуя
event-state = Мамлекет
event-actor = Ким киргизди
event-ban-recorded = Кирүүгө тыюу киргизилди
event-ban-lifted = Кирүүгө тыюу алынды
person-expulsions = Чыгарып жиберүүлөр, депортациялар, реадмиссиялар
expulsion-kind = Чара
expulsion-leave-by = Өлкөдөн чыгуу мөөнөтү
expulsion-executed = Аткарылышы
expulsion-left-on = Чыкты:
expulsion-pending = Аткарыла элек
expulsion-administrative-expulsion = Административдик чыгарып жиберүү
expulsion-deportation = Депортация
expulsion-readmission = Реадмиссия
event-expulsion-decided = Чыгарып жиберүү жөнүндө чечим кабыл алынды
event-expulsion-executed = Чыгарып жиберүү аткарылды
finding-entry-ban = Кирүүгө тыюу, мөөнөтү:

## Көзөмөлдөнүүчү адамдардын реестри
person-control = Көзөмөлдөнүүчү адамдардын реестри
control-title = Көзөмөлдөнүүчү адамдардын реестри
control-filter = Көрсөтүлгөн жазуулар
control-filter-active = Реестрде
control-filter-removed = Чыгарылгандар
control-count = { $count ->
    [one] { $count } жазуу
   *[other] { $count } жазуу
}
control-overdue-count = { $count ->
    [one] { $count } арыздын мөөнөтү өттү
   *[other] { $count } арыздын мөөнөтү өттү
}
control-pending-count = { $count ->
    [one] Чыгаруу жөнүндө { $count } арыз чечимди күтүүдө
   *[other] Чыгаруу жөнүндө { $count } арыз чечимди күтүүдө
}
control-empty = Жазуулар жок.
control-not-listed = Көзөмөлдөнүүчү адамдардын реестринде жок.
control-person = Адам
control-ground = Негиз
control-included-on = Киргизилген күнү
control-included-at = Киргизилди
control-pending-applications = Чечимди күткөн чыгаруу жөнүндө арыздар
control-removed-on = Чыгарылган күнү
control-overdue = Мөөнөтү өттү
control-pending = Чечимди күтүүдө
control-pages = Барактар
control-page = { $count }-барак
control-previous = Мурунку барак
control-next = Кийинки барак
control-entry-title = Көзөмөлдөнүүчү адамдардын реестриндеги жазуу
control-active = Реестрде
control-removed = Чыгарылды
control-open-person = Адамдын карточкасын ачуу
control-open-listed = Адам реестрде турган жазууну ачуу
control-basis = Укуктук негиз
control-basis-hint = Акт жана берене, мисалы: КР «Калктын миграциясы жөнүндө» Мыйзамы, 48-берене.
control-decision = Чечим
control-decided-on = Чечимдин күнү
control-decided-by = Чечим кабыл алган
control-recorded-by = Киргизген
control-restrictions = Чектөөлөр
control-restrictions-explain = Адам реестрде турганда мыйзам төмөнкүлөрдү чектейт:
control-notices = Адамга билдирүүлөр
control-notice-none = Билдирүү киргизилген эмес: адам реестрге киргизилгенин билбеши мүмкүн.
control-notice-channel = Жөнөтүү ыкмасы
control-notice-sent-on = Жөнөтүлгөн же тапшырылган күнү
control-notice-record = Билдирүүнү киргизүү
control-notice-print = Басып чыгаруу үчүн билдирүү — орус тилинде жана адамдын тилинде
control-notice-title = Көзөмөлдөнүүчү адамдардын реестрине киргизүү жөнүндө билдирүү
control-notice-print-hint = Баракты браузердин басып чыгаруу буйругу менен басып чыгарыңыз, билдирүүнү адамга тапшырыңыз же жөнөтүңүз жана аны киргизиңиз.
control-notice-also-in = Орус тили менен бирге:
control-notice-back = Жазууга кайтуу
control-applications = Чыгаруу жөнүндө арыздар
control-applications-none = Арыз берилген эмес.
control-application-file = Чыгаруу жөнүндө арызды кабыл алуу
control-application-explain = Арызды адамдын өзү, анын өкүлү же жарандыгындагы мамлекет бере алат. Чечим арыз берилген күндөн тартып 10 иш күнүнүн ичинде кабыл алынат.
control-application-filed = Берилди
control-application-applicant = Арыз ээси
control-application-applicant-name = Арыз ээсинин аты
control-application-grounds = Негиз
control-application-statement = Арыздын мазмуну
control-application-documents = Тиркелген документтер
control-application-documents-hint = Ар бир сапта бир документ.
control-application-due = Чечим мөөнөтү
control-application-status = Абалы
control-application-decide = Чечим кабыл алуу
control-decision-title = Чыгаруу жөнүндө арыз боюнча чечим
control-decision-label = Чечим
control-decision-grant = Канааттандыруу: реестрден чыгаруу
control-decision-deny = Баш тартуу
control-decision-reasons = Чечимдин жүйөлөрү
control-decision-appeal-route = Даттануу тартиби
control-decision-appeal-route-hint = Баш тартууда милдеттүү: чечимге кайда жана кандай мөөнөттө даттанууга болот.
control-decision-submit = Чечимди киргизүү
control-history = Жазуунун жана чыгаруунун тарыхы
control-history-included = Реестрге киргизилди
control-history-notice = Билдирүү киргизилди
control-history-filed = Чыгаруу жөнүндө арыз берилди
control-history-granted = Арыз канааттандырылды
control-history-denied = Арыздан баш тартылды
control-history-removed = Реестрден чыгарылды
control-include = Көзөмөлдөнүүчү адамдардын реестрине киргизүү
control-include-explain = Адам тизмедеги негиз боюнча гана жана чечим менен киргизилет. Чектөөлөр чыгарылганга чейин колдонулат; адамга билдирүү берилиши керек.
control-cancel = Чыгаруу: чечим жокко чыгарылды
control-cancel-explain = Киргизүүнүн негизи болгон чечим жокко чыгарылса, адам реестрден чыгарылат. Жүйөлөр жазуунун тарыхына киргизилет.
control-cancel-reasons = Жүйөлөр жана жокко чыгаруучу чечим
control-cancel-submit = Реестрден чыгаруу
control-ground-illegal-entry = Мыйзамсыз кирүү
control-ground-court-sentence = Соттун өкүмү
control-ground-permit-expired-or-annulled = Визанын же уруксаттын мөөнөтүнүн бүтүшү же жокко чыгарылышы
control-ground-stay-shortened = Болуу мөөнөтүн кыскартуу жөнүндө чечим
control-ground-deportation = Депортациялоо жөнүндө чечим
control-ground-readmission = Реадмиссия жөнүндө чечим
control-ground-expulsion = Административдик чыгарып жиберүү жөнүндө чечим
control-ground-citizenship-lost = Жарандыктын токтотулушу
control-ground-refugee-status-refused = Качкын катары таануудан баш тартуу же статустан ажыратуу
control-ground-entry-ban = Өлкөгө кирүүгө тыюу салуу жөнүндө чечим
control-restriction-driving-licence = айдоочулук күбөлүк берүү
control-restriction-bank-operations-limited = банктык операциялар (чектелген)
control-restriction-marriage = никени каттоо
control-restriction-change-of-residence = уруксатсыз жашаган жерди алмаштыруу
control-restriction-property-and-company-registration = мүлктү жана юридикалык жактарды каттоо
control-removal-departure = өлкөдөн чыгуу
control-removal-legalised-status = болуу уруксат менен мыйзамдаштырылды
control-removal-decision-cancelled = чечим жокко чыгарылды
control-removal-application-granted = чыгаруу жөнүндө арыз канааттандырылды
control-channel-in-person = Жеке тапшырылды
control-channel-post = Почта аркылуу
control-channel-email = Электрондук почта аркылуу
control-channel-sms = SMS-билдирүү менен
control-channel-consular = Консулдук аркылуу
control-applicant-person = Адамдын өзү
control-applicant-representative = Өкүлү
control-applicant-state = Жарандыгындагы мамлекет
control-application-ground-departure = Чыгуу
control-application-ground-legalised-status = Болуунун мыйзамдуу негизи
control-application-ground-decision-cancelled = Чечимдин жокко чыгарылышы
control-application-ground-court-ruling = Соттун чечими
control-application-ground-error = Ката менен киргизилген
event-control-included = Көзөмөлдөнүүчү адамдардын реестрине киргизилди
event-control-removed = Көзөмөлдөнүүчү адамдардын реестринен чыгарылды
form-error-invalid-choice = Варианттардын бирин тандаңыз.
form-error-appeal-route-required = Баш тартууда ага кайда жана кандай мөөнөттө даттанууга болору көрсөтүлөт: даттануу тартибин толтуруңуз.
form-error-note-too-long = Текст өтө узун: 2000 белгиден ашпашы керек.
form-error-already-listed = Адам көзөмөлдөнүүчү адамдардын реестринде турат.
form-error-entry-removed = Жазуу реестрден чыгарылган: бул аракет мындан ары мүмкүн эмес.
form-error-already-decided = Бул арыз боюнча чечим мурда эле кабыл алынган.
form-error-no-calendar = Мөөнөттү эсептөө мүмкүн эмес: ошол жылдын өндүрүштүк календары жүктөлгөн эмес. Администраторго кабарлаңыз.
violation-record = Укук бузууну каттоо
violation-article-hint = Көрсөтүлбөсө, бул түр үчүн кодекстин беренеси жазылат
violation-description = Сүрөттөмө
violation-employer = Иш берүүчү
violation-decision-ref-hint = Токтомдун номери жана датасы; токтому бар укук бузуу дароо тастыкталат
violation-payment = Айып пулдун төлөнүшүн каттоо
violation-paid-on = Төлөнгөн күнү
violation-payment-reference = Квитанциянын же төлөмдүн номери
violation-payment-reference-hint = Квитанцияда көрсөтүлгөндөй
form-error-invalid-registration-number = БИН — 12 сан, акыркысы текшерүү саны: номерди текшериңиз.
form-error-invalid-fine-amount = Айып пулдун суммасы — нөлдөн кем эмес бүтүн сан.
form-error-invalid-fine-unit = Айып пулдун бирдигин тизмеден тандаңыз.
form-error-article-required = Бул түр үчүн берене берилген эмес: беренени көрсөтүңүз.
form-error-employer-required = Иш берүүчүнүн укук бузуусу: иш берүүчүнү тандаңыз.
form-error-unknown-employer = Мындай иш берүүчү реестрде жок.
form-error-duplicate-employer = Бул номердеги иш берүүчү реестрде бар.
form-error-no-fine = Бул укук бузууга айып пул салынган эмес.
form-error-already-paid = Бул айып пулдун төлөнүшү мурун катталган.
form-error-violation-dismissed = Укук бузуу четке кагылган: айып пул төлөнбөйт.
nav-employers = Иш берүүчүлөр
employers-title = Иш берүүчүлөр
employers-find = Аталышы же БИН
employer-name = Аталышы
employer-number = БИН (каттоо номери)
employer-number-hint = 12 сан; боштуктар жана сызыкчалар маанилүү эмес
employer-region = Аймак
employer-address = Дареги
employer-recorded = Киргизилген
employer-record = Иш берүүчүнү киргизүү
employer-violations = Укук бузуулар
employer-worker = Жумушчу
employer-open-worker = Жазууну ачуу

# Мигранттын картасы
person-card = Мигранттын картасы
warning = Көңүл буруңуз
card-number = Картанын номери
card-status = Абалы
card-status-valid = Жарактуу
card-status-expired = Мөөнөтү бүткөн
card-status-revoked = Жокко чыгарылган
card-revoked-exit = чыгып кеткенде
card-revoked-expulsion = чыгарып жиберүүдө
card-revoked-ban = кирүүгө тыюу салынгандыктан
card-revoked-replaced = жаңы карта менен алмаштырылган
card-revoked-officer = кызматкердин чечими менен
card-issued-on = Берилген күнү
card-valid-until = Жарактуулук мөөнөтү
card-print = Картаны басып чыгаруу
card-download-pdf = Басып чыгаруу үчүн карта (PDF, A6)
card-qr-alt = Картанын кол коюлган мөөрү QR-код түрүндө
card-none = Карта берилген эмес.
card-issue = Жаңы карта берүү
card-refused-no-legal-stay = Карта берилген жок: адам өлкөдө мыйзамдуу негизде жүргөн жок.
card-refused-not-issuable = Карта берилген жок: реестрде туулган күнү же инсандыгын күбөлөндүргөн документи жок.
card-title = Мигранттын картасы
card-print-hint = Баракты басып чыгарыңыз; QR-код мамлекеттин сертификаты боюнча тармаксыз текшерилет.
card-photo = Сүрөт
card-heading = Казакстан Республикасынын мигрант картасы
card-document = Инсандыгын күбөлөндүргөн документ
card-verify-hint = Текшерүү: sapar card verify --ca ca.pem
# Өзүн-өзү тейлөө
self-title = Менин болуу мөөнөтүм жана мигрант картам
self-intro = Болуу күндөрүн, акыркы мыйзамдуу күндү, каттоо мөөнөтүн жана картанын абалын билүү үчүн чек арадан өткөн документтин номерин, мигрант картасынын номерин жана туулган күнүңүздү киргизиңиз.
self-document-number = Паспорттун же башка документтин номери
self-card-number-hint = Картада басылгандай, мисалы KAZ0000000017
self-birth-date-hint = Жыл-ай-күн, мисалы 1994-03-08
self-submit = Абалды көрсөтүү
self-registration-due = Болуу жери боюнча катталуу мөөнөтү
self-not-listed = Сиз контролдук тизмеде жоксуз.
self-removal-how = Негиз жоюлганын тастыктаган документтерди тиркеп, миграция кызматына же өз мамлекетиңиздин ыйгарым укуктуу органы аркылуу тизмеден чыгаруу жөнүндө жазуу жүзүндө арыз бере аласыз. Чечим тууралуу сизге кабарланат.
self-again = Кайра текшерүү
self-denied = Бул маалыматтар эч бир картага туура келбейт. Текшерип, кайра аракет кылыңыз.
self-throttled = Ийгиликсиз аракеттер өтө көп. Он беш мүнөттөн кийин кайталаңыз.
# Registration of place of stay.
person-registrations = Болгон жери боюнча каттоолор
registration-file = Болгон жери боюнча каттоо
registration-address = Дарек
registration-region = Облус же шаар
registration-locality = Калктуу пункт
registration-street = Көчө
registration-building = Үй
registration-flat = Батир
registration-period = Болуу мөөнөтү
registration-from = Баштап
registration-until = Чейин
registration-party = Кабыл алуучу тарап
registration-party-kind = Чет элдикти ким кабыл алат
registration-party-name = Аталышы же аты-жөнү
registration-party-name-hint = Мигрант өзү катталса, бош калтырыңыз: жазуудагы аты алынат.
registration-party-identity = Документтин номери же каттоо номери
registration-party-identity-hint = Жеке адамдын инсандыгын күбөлөндүрүүчү документтин номери; уюмдун каттоо номери.
registration-party-private-person = Жеке адам
registration-party-legal-entity = Уюм (мейманкана, иш берүүчү)
registration-party-migrant = Мигранттын өзү
registration-state = Абалы
registration-state-submitted = Берилди
registration-state-accepted = Кабыл алынды
registration-state-refused = Баш тартылды
registration-state-superseded = Жаңы дарек менен алмаштырылды
registration-state-ended = Токтотулду
registration-end-exit = чыгуу
registration-end-deregistered = каттоодон чыгаруу
registration-due = Каттоо мөөнөтү
registration-late = Кечиктирилди
registration-change = Узартуу же токтотуу
registration-change-day = Күнү: жаңы акыркы күн же токтотуу күнү
registration-change-note = Эскертүү (токтотууда)
registration-extend = Ушул күнгө чейин узартуу
registration-end = Ушул күндөн токтотуу
form-error-unknown-region = Тизмеден облусту же шаарды тандаңыз.
form-error-invalid-period = Мөөнөт башталганга чейин бүтөт же жаңы күн азыркы аяктоодон кеч эмес.
form-error-person-not-in-country = Адам өлкөдө жок: кийин чыкпаган кирүү жок.
form-error-registration-ended = Бул каттоо мындан ары күчүндө эмес.
self-registration = Болуу жери боюнча каттоо
self-registration-state-registered = Катталган
self-registration-state-due = Азырынча катталган эмес
self-registration-state-overdue = Мөөнөтү өтүп кетти: дароо катталыңыз
self-registration-state-not-required = Талап кылынбайт

# A receiving party's desk
nav-host = Конокторду каттоо
host-title = Чет элдикти болгон жери боюнча каттоо
host-intro = Коноктун документин жана туулган күнүн паспортто жазылгандай, даректи жана болуу мөөнөтүн көрсөтүңүз. Конок жөнүндө реестрдеги маалыматтар көрсөтүлбөйт.
host-guest = Конок
host-guest-state = Паспортту берген мамлекет
host-guest-state-hint = Үч тамгалуу код, мисалы KGZ, UZB, TJK.
host-guest-number = Паспорттун номери
host-guest-not-found = Мындай документи жана туулган күнү бар чет элдик табылган жок. Мамлекеттин кодун, номерди жана туулган күндү текшериңиз.
host-filed = Каттоо берилди
host-reference = Каттоонун номери
host-late = Кечигип берилди: мөөнөтү өттү
host-on-time = Өз убагында берилди; акыркы мөөнөт —
form-error-unknown-country = Мындай мамлекеттин коду жок. Үч тамгалуу кодду киргизиңиз, мисалы KGZ.
form-error-invalid-country = Мамлекеттин коду — үч латын тамгасы, мисалы KGZ.
form-error-specimen-country = UTO — ИКАОнун үлгүсү, мамлекет эмес.
form-error-issuer-not-a-state = Бул код мамлекетти эмес, жарандыгы жок адамдын же качкындын документин билдирет.
form-error-invalid-document-number = Документтин номери: латын тамгалары жана цифралар, 20 белгиге чейин.

# Claims and bulk decisions in the queues
queue-claim = Ишке алуу
queue-release = Кезекке кайтаруу
queue-claimed-by = Иште:
queue-claimed-by-you = Сиздин ишиңизде
queue-claimed-by-other = Бул жазууну башка кызматкер ишке алып койгон.
queue-select = Белгилөө
queue-bulk-selected = Белгиленген жазуулар менен
queue-bulk-none = Жок дегенде бир жазууну белгилеңиз.
queue-bulk-done = Даяр
queue-bulk-title = Бир нече жазуу боюнча чечим
queue-bulk-to-decide = Чечим кабыл алынат
queue-bulk-to-skip = Өткөрүлүп жиберилет
queue-bulk-nothing = Чече турган эч нерсе жок: белгиленген жазуулардын баары өткөрүлөт.
queue-bulk-confirm = Чечимди ырастоо
queue-skip-decided = чечим кабыл алынып калган
queue-skip-claimed = иште:
queue-bulk-decided = { $count ->
    [one] { $count } жазуу чечилди.
   *[other] { $count } жазуу чечилди.
}
queue-bulk-skipped = { $count ->
    [one] { $count } өткөрүлдү.
   *[other] { $count } өткөрүлдү.
}

## Treaty case desk
nav-cases = Алмашуу иштери
cases-title = Алмашуу жөнүндө келишимдер боюнча иштер
cases-not-configured = Бул түйүндө башка мамлекеттер менен маалымат алмашуу жөндөлгөн эмес.
cases-filter = Иштерди тандоо
cases-filter-open = Ачык
cases-filter-due-soon = Мөөнөтү бүтүп баратат
cases-filter-overdue = Мөөнөтү өткөн
cases-filter-closed = Жабык
cases-partner = Өнөктөш мамлекет
cases-partner-all = Баары
cases-apply = Көрсөтүү
cases-empty = Мындай иштер жок.
cases-case = Иш
cases-direction = Багыты
cases-incoming = Кирүүчү
cases-outgoing = Чыгуучу
cases-state = Абалы
cases-deadline = Жооп берүү мөөнөтү
cases-last-activity = Акыркы билдирүү
cases-answered-on-time = Жооп мөөнөтүндө берилди
cases-answered-late = Жооп кечигип берилди
cases-not-answered = Жоопсуз жабылды
cases-due-today = Мөөнөтү бүгүн бүтөт
case-title = Иш
case-received-on = Сурам алынды
case-messages = Билдирүүлөр
case-message-in = Алынды
case-message-out = Жөнөтүлдү
case-body-destroyed = Мазмуну сактоо мөөнөтү бүткөндөн кийин жок кылынды; анын хеши билдирүүлөр журналында калат.
case-in-reply-to = Жооп катары:
case-back = Бардык иштер
case-delivery-pending = жеткирүүнү күтүүдө
case-delivery-delivered = жеткирилди
case-delivery-rejected = өнөктөш кабыл алган жок
cases-days-left = { $count ->
    [one] { $count } күн калды
   *[other] { $count } күн калды
}
cases-overdue-by = { $count ->
    [one] { $count } күнгө кечикти
   *[other] { $count } күнгө кечикти
}
case-state-queried = Маалыматтын бар-жогу жөнүндө сурам
case-state-hit-reported = Маалыматтын бар-жогу жөнүндө жооп берилди
case-state-requested = Сурам алынды
case-state-in-progress = Аткарылууда
case-state-clarification-requested = Тактоо суралды
case-state-postponed = Аткаруу кийинкиге калтырылды
case-state-authenticity-queried = Аныктыгы текшерилүүдө
case-state-confidentiality-notified = Купуялуулук жөнүндө билдирме
case-state-answered = Жооп берилди
case-state-refused = Баш тартылды
case-state-withdrawn = Кайтарылып алынды
case-state-noticed = Билдирме
case-state-closed = Жабык
message-type-query = Маалыматтын бар-жогу жөнүндө сурам
message-type-hit-result = Маалыматтын бар-жогу жөнүндө жооп
message-type-request = Сурам
message-type-ack = Алынганын ырастоо
message-type-clarification-request = Тактоо суроо
message-type-clarification = Тактоо
message-type-delay-notice = Кечигүү жөнүндө билдирме
message-type-postponement = Аткарууну кийинкиге калтыруу
message-type-postponement-decision = Кийинкиге калтыруу жөнүндө чечим
message-type-answer = Жооп
message-type-refusal = Баш тартуу
message-type-authenticity-query = Аныктык жөнүндө сурам
message-type-authenticity-confirmation = Аныктыкты ырастоо
message-type-confidentiality-notice = Купуялуулук жөнүндө билдирме
message-type-confidentiality-decision = Купуялуулук жөнүндө чечим
message-type-consent-request = Макулдук суроо
message-type-consent-decision = Макулдук жөнүндө чечим
message-type-notice = Билдирме
message-type-signatory-list = Кол коюучулардын тизмеси
message-type-authority-change = Ыйгарым укуктуу органдын өзгөрүшү
message-type-statistics = Статистика
message-type-legislation-update = Мыйзамдардын өзгөрүшү
message-type-agreement-notice = Келишим боюнча билдирме
message-type-withdrawal = Сурамды кайтарып алуу
case-step-title = Кийинки кадам
case-step-kind = Өнөктөшкө билдирүү
case-step-text = Текст (кечигүү жана кийинкиге калтыруу үчүн — себеби)
case-step-date = Күнү
case-step-date-hint = Кечигүү үчүн — жооп качан күтүлөөрү, кийинкиге калтыруу үчүн — кайсы күнгө чейин; ЖЖЖЖ-АА-КК
case-step-conditions = Кийинкиге калтыруунун шарттары
case-step-send = Кол коюп жөнөтүү
case-step-sent = Жөнөтүлдү
case-step-text-required = Билдирүүнүн текстин жазыңыз.
case-step-date-invalid = Күн ЖЖЖЖ-АА-КК түрүндө жазылат.
case-step-refused = Өнөктөш иштин азыркы абалында бул билдирүүнү кабыл албайт эле; ал жөнөтүлгөн жок
nav-channels = Алмашуу каналдары
channels-title = Чыгуучу алмашуу каналдары
channels-explain = Ар бир канал — бир келишим, бир өнөктөш мамлекет, бир багыт. Жазуулары өнөктөштүкү менен дал келбеген канал токтотулат; эки түйүн кайра макулдашканда аны улантыңыз.
channels-empty = Азырынча канал жок: бир да билдирүү жөнөтүлгөн эмес.
channels-channel = Канал
channels-delivered = Акыркы жеткирилген №
channels-queued = Кезекте
channels-state = Абалы
channels-halted = Токтотулган
channels-delivering = Жеткирүүдө
channels-resume = Улантуу
channels-resumed = Канал улантылды
channels-not-resumed = Канал улантылган жок
