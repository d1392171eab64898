## Общее
service-name = Единый миграционный реестр
skip-to-main = Перейти к содержанию
footer-note = Sapar — миграционный реестр и узел обмена по межгосударственным соглашениям. Каждое чтение персональных данных записывается в журнал доступа.
nav-label = Разделы
language-label = Язык
logout = Выйти
back-home = На главную
error-summary-title = Есть проблема
none-recorded = Нет записей
days-count = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
}

## Роли
role-border = пограничный контроль
role-officer = миграционный инспектор
role-exchange = сотрудник по обмену
role-signatory = подписант
role-analyst = аналитик
role-auditor = аудитор
role-admin = администратор
role-holder = владелец карты (самообслуживание)
role-host = принимающая сторона

## Навигация
nav-border = Пограничный пост
nav-search = Поиск лиц
nav-violations = Нарушения
nav-review = Сверка личностей
nav-audit = Журнал доступа
nav-users = Пользователи
nav-tokens = API-токены
nav-control = Реестр контролируемых лиц

## Ошибки
error-not-found-title = Страница не найдена
error-not-found-body = Такой страницы или записи нет. Проверьте адрес или вернитесь на главную.
error-forbidden-title = Нет доступа
error-forbidden-body = Ваша роль не даёт доступа к этой странице.
error-csrf-title = Форма отклонена
error-csrf-body = Форма пришла без действующего ключа защиты. Откройте страницу заново и повторите действие.
error-unavailable-title = Сервис временно недоступен
error-unavailable-body = Не удалось выполнить запрос. Повторите попытку через минуту; если ошибка повторится, сообщите администратору.

## Вход
login-title = Вход в систему
login-name = Имя пользователя
login-password = Пароль
login-submit = Войти
login-refused = Неверное имя пользователя или пароль.
login-throttled = Слишком много неудачных попыток. Повторите через { $count ->
    [one] { $count } минуту
    [few] { $count } минуты
   *[many] { $count } минут
}.
login-expired = Сеанс завершён из-за бездействия. Войдите снова — вы вернётесь на запрошенную страницу.

## Главная
home-title = Рабочее место
home-nothing = Для вашей роли пока нет рабочих разделов.

## Цель доступа
purpose-title = Укажите цель доступа
purpose-explain = Перед показом персональных данных укажите, для чего они нужны. Запись о доступе (кто, когда, к чьим данным, с какой целью) попадёт в журнал доступа.
purpose-label = Цель доступа
purpose-choose = Выберите цель
purpose-note-label = Пояснение (необязательно)
purpose-open = Открыть
purpose-required = Укажите цель доступа.
purpose-border-check = Пограничный контроль
purpose-stay-control = Контроль пребывания
purpose-permit-decision = Решение по разрешению
purpose-enforcement = Правоприменение
purpose-exchange-request = Запрос по соглашению об обмене
purpose-audit = Аудит
purpose-statistics-quality = Проверка качества статистики
purpose-own-data = Владелец карты смотрит свой статус

## Поиск
search-title = Поиск лиц
search-label = Имя, фамилия или номер документа
search-hint = На любом языке и в любой транслитерации: «Ерлан», «YERLAN» и «ERLAN» найдут одного человека.
search-birth-date = Дата рождения
search-citizenship = Гражданство (код из трёх букв)
search-submit = Найти
search-results = Результаты поиска
search-found = { $count ->
    [one] Найдено { $count } лицо
    [few] Найдено { $count } лица
   *[many] Найдено { $count } лиц
}
search-truncated = Показаны не все совпадения: уточните запрос.
search-too-long = Запрос слишком длинный: не более { $count } символов.
search-bad-date = Дата рождения указана неверно.
search-bad-citizenship = Код гражданства не распознан: укажите три буквы, например KGZ.

## Лицо
person-name = ФИО
person-title = Карточка лица
person-birth-date = Дата рождения
person-citizenship = Гражданство
person-documents = Документы
person-identity = Личность
person-sex = Пол
person-id = Идентификатор в реестре
person-stay = Пребывание
person-crossings = Пересечения границы
person-permits = Разрешения
person-violations = Нарушения
person-read-for = Данные открыты с целью
person-merged-from = Запрошенная запись объединена с этой:
sex-m = мужской
sex-f = женский
sex-x = не указан
document-type = Вид документа
document-number = Номер документа
document-expiry = Действителен до
crossing-entry = Въезд
crossing-exit = Выезд
crossing-refused = Отказ во въезде
stay-on = На дату
stay-status = Статус
stay-absent = Не находится в стране
stay-legal = Пребывание законно
stay-overstay = Превышение срока
stay-days-used = Использовано дней
stay-days-left = Осталось дней
stay-last-legal-day = Последний законный день
stay-basis = Правовое основание
stay-not-judged = Правила пребывания не позволяют вынести заключение для этого лица.
permit-kind = Вид разрешения
permit-valid-from = Действует с
permit-valid-to = Действует по
permit-revoked-from = Аннулировано с
permit-temporary-residence = Разрешение на временное проживание
permit-permanent-residence = Вид на жительство
permit-long-stay-visa = Долгосрочная виза
violation-detected = Выявлено
violation-days = Превышение
violation-status = Статус
violation-rule = Правило
violation-status-draft = ожидает решения
violation-status-confirmed = подтверждено
violation-status-dismissed = отклонено
permit-work-permit = Разрешение на трудовую деятельность
violation-kind = Вид нарушения
violation-kind-overstay = Нарушение срока пребывания
violation-kind-registration-failure = Неисполнение регистрации по месту пребывания
violation-kind-illegal-work = Трудовая деятельность без разрешения
violation-kind-document-rules = Нарушение правил о документах
violation-kind-employer-violation = Незаконное привлечение иностранной рабочей силы
violation-article = Статья
violation-fine = Штраф
violation-fine-unit = Единица штрафа
violation-decision-ref = Номер постановления
violation-penalty = Взыскание (статья, постановление, штраф)
violation-paid = оплачен
violation-unpaid = не оплачен

## Пограничный пост
border-title = Пограничный пост
border-mrz = Машиночитаемая зона документа
border-mrz-hint = Отсканируйте документ или вставьте строки МЧЗ.
border-point = Пункт пропуска
border-check = Проверить
border-result = Результат проверки
border-open-person = Открыть карточку лица
border-record-entry = Зарегистрировать въезд
border-record-exit = Зарегистрировать выезд
border-refusal = Отказ во въезде
border-refusal-ground = Основание отказа
border-refusal-note = Примечание (необязательно)
border-refuse-entry = Отказать во въезде
recorded-refusal = Отказ во въезде записан.
refusal-ground-entry-ban = Действующий запрет въезда
refusal-ground-invalid-document = Документ недействителен или просрочен
refusal-ground-no-visa = Нет визы
refusal-ground-no-days-left = Не осталось дней законного пребывания
refusal-ground-stay-rules-breach = Прежнее нарушение правил пребывания
refusal-ground-control-register = Включён в контролируемый реестр
refusal-ground-false-purpose = Цель поездки не подтверждается
refusal-ground-public-safety = Безопасность государства, общественный порядок или здоровье
refusal-ground-other = Иное (укажите в примечании)
finding-document-expired = Срок действия документа истёк:
finding-overstaying = Превышен срок пребывания на
finding-new-person = Лицо впервые в реестре.
finding-no-stay-rule = Для этого гражданства нет правил пребывания.
finding-overstay-history = Нарушения срока пребывания в реестре:
finding-overstay-longest = наибольшее превышение на
finding-overstay-of-candidate = у возможно того же лица
finding-overstay-of-holder = у владельца документа
finding-stay-not-judged = Правила пребывания не позволяют оценить пребывание:
finding-stay = Пребывание:
finding-purpose-not-allowed = Правило пребывания не распространяется на заявленную цель, и разрешения на неё нет:
border-advice = Рекомендация
advice-admit = Пропустить
advice-refer = Направить на дополнительную проверку
advice-refuse = Отказать во въезде
border-checks = Проверки
border-check-finding = Результат
border-check-basis = Правовое основание
border-candidates = Возможно, то же лицо по другому документу
border-candidates-hint = Найдены по имени в любой письменности, дате рождения и гражданству; вероятность дана моделью связывания записей реестра.
border-probability = Вероятность
recorded-entry = Въезд зарегистрирован.
recorded-exit = Выезд зарегистрирован.
exit-without-entry = Выезд не может быть зарегистрирован: у лица нет предшествующего въезда.

## Очереди
violations-title = Нарушения, ожидающие решения
review-title = Сверка личностей
queue-empty = Очередь пуста.
queue-days-waiting = Ожидает
queue-decision = Решение
queue-note = Примечание
queue-note-required = Чтобы отклонить нарушение, укажите причину в примечании.
queue-already-decided = Решение по этой записи уже принято другим сотрудником.
queue-not-decided = Решение не записано: проверьте введённые данные.
violation-confirm = Подтвердить
violation-dismiss = Отклонить
review-probability = Вероятность совпадения
review-explanation = Почему система считает записи похожими
review-match = Это одно лицо
review-non-match = Это разные лица

## Журнал доступа
audit-title = Журнал доступа
audit-user = Пользователь
audit-person = Лицо (идентификатор)
audit-from = С даты
audit-until = По дату
audit-any-purpose = Любая цель
audit-apply = Применить
audit-csv = Скачать CSV
audit-at = Время
audit-view = Что открыто
audit-address = Адрес
audit-next = Следующая страница
audit-bad-filter = Фильтр не распознан
audit-count = { $count ->
    [one] { $count } запись
    [few] { $count } записи
   *[many] { $count } записей
}

## Администрирование
users-title = Пользователи
users-name = Имя
users-role = Роль
users-since = Создан
users-status = Состояние
users-disabled = Отключён
users-disable = Отключить
users-new = Новый пользователь
users-password = Пароль
users-password-hint = Не короче 12 символов.
users-create = Создать пользователя
users-created = Пользователь создан
users-bad-role = Выберите роль из списка.
users-bad-name = Имя: от 1 до 100 символов, буквы, цифры, точка, дефис и подчёркивание.
users-name-taken = Пользователь с таким именем уже есть.
users-weak-password = Пароль слишком короткий: нужно не меньше 12 символов.
tokens-title = API-токены
tokens-explain = Токены для автоматизированных систем. Создаются и отзываются командой «sapar tokens»; секрет показывается один раз.
tokens-expires = Истекает
tokens-revoked = Отозван

## Entry bans and partner events
person-bans = Запреты въезда
ban-period = Срок
ban-ground = Основание
ban-decision = Решение
ban-decision-hint = Номер и дата решения, как в документе.
ban-status = Состояние
ban-in-force = Действует
ban-lifted-from = Снят с
ban-ended = Срок истёк
ban-not-yet = Ещё не начался
ban-ground-expulsion = Выдворение, депортация или реадмиссия
ban-ground-court-decision = Решение суда
ban-ground-administrative-decision = Решение уполномоченного органа
ban-ground-partner-notice = Уведомление государства-партнёра
ban-ground-other = Иное основание
ban-record = Внести запрет въезда
ban-from = Первый день запрета
ban-until = Последний день запрета
ban-basis = Правовое основание
ban-basis-hint = Закон и статья, например: Закон РК «О миграции населения», ст. 67.
ban-decided-by = Кем принято решение (если не вами)
ban-lift = Снять запрет досрочно
ban-lift-from = С какого дня запрет не действует
ban-lift-from-hint = ГГГГ-ММ-ДД; пусто — сегодня.
ban-lift-reason = Причины снятия
ban-lift-decision = Решение о снятии
date-hint = ГГГГ-ММ-ДД, например 2030-04-11.
error-prefix = Ошибка
form-cancel = Отмена
form-error-missing-field = Заполните это поле.
form-error-too-long = Текст слишком длинный.
form-error-invalid-date = Введите дату в виде ГГГГ-ММ-ДД.
form-error-date-out-of-range = Дата вне допустимых лет (1900–2199).
form-error-invalid-ground = Выберите основание из списка.
form-error-reason-required = Укажите причины решения.
form-error-ban-ends-before-start = Последний день раньше первого.
form-error-ban-already-ended = Запрет истёк раньше этого дня: снимать нечего.
form-error-already-lifted = Этот запрет уже снят.
person-events = События для государств-партнёров
person-events-explain = О чём может потребоваться уведомить государство гражданства (ст. 6.2 и 9 Соглашения).
event-at = Когда
event-kind = Событие
event-state = Государство
event-actor = Кто внёс
event-ban-recorded = Внесён запрет въезда
event-ban-lifted = Запрет въезда снят
person-expulsions = Выдворения, депортации, реадмиссии
expulsion-kind = Мера
expulsion-leave-by = Покинуть страну до
expulsion-executed = Исполнение
expulsion-left-on = Выехал
expulsion-pending = Не исполнено
expulsion-administrative-expulsion = Административное выдворение
expulsion-deportation = Депортация
expulsion-readmission = Реадмиссия
event-expulsion-decided = Принято решение о выдворении
event-expulsion-executed = Выдворение исполнено
finding-entry-ban = Запрет въезда до

## Реестр контролируемых лиц
person-control = Реестр контролируемых лиц
control-title = Реестр контролируемых лиц
control-filter = Показываемые записи
control-filter-active = В реестре
control-filter-removed = Исключённые
control-count = { $count ->
    [one] { $count } запись
    [few] { $count } записи
   *[many] { $count } записей
}
control-overdue-count = { $count ->
    [one] { $count } заявление просрочено
    [few] { $count } заявления просрочены
   *[many] { $count } заявлений просрочено
}
control-pending-count = { $count ->
    [one] { $count } заявление об исключении ждёт решения
    [few] { $count } заявления об исключении ждут решения
   *[many] { $count } заявлений об исключении ждут решения
}
control-empty = Записей нет.
control-not-listed = В реестре контролируемых лиц не состоит.
control-person = Лицо
control-ground = Основание
control-included-on = Дата включения
control-included-at = Включён
control-pending-applications = Заявления об исключении, ждущие решения
control-removed-on = Дата исключения
control-overdue = Просрочено
control-pending = Ждёт решения
control-pages = Страницы
control-page = Страница { $count }
control-previous = Предыдущая страница
control-next = Следующая страница
control-entry-title = Запись реестра контролируемых лиц
control-active = В реестре
control-removed = Исключён
control-open-person = Открыть карточку лица
control-open-listed = Открыть запись, по которой лицо уже состоит в реестре
control-basis = Правовая основа
control-basis-hint = Акт и статья, например: Закон РК «О миграции населения», ст. 48.
control-decision = Решение
control-decided-on = Дата решения
control-decided-by = Кто принял решение
control-recorded-by = Кто внёс
control-restrictions = Ограничения
control-restrictions-explain = Пока лицо состоит в реестре, закон ограничивает:
control-notices = Уведомления лица
control-notice-none = Уведомление не внесено: лицо может не знать о включении в реестр.
control-notice-channel = Способ направления
control-notice-sent-on = Дата направления или вручения
control-notice-record = Внести уведомление
control-notice-print = Уведомление для печати — на русском и на языке лица
control-notice-title = Уведомление о включении в реестр контролируемых лиц
control-notice-print-hint = Распечатайте страницу командой печати браузера, вручите или направьте уведомление лицу и внесите его.
control-notice-also-in = Русский вместе с:
control-notice-back = Вернуться к записи
control-applications = Заявления об исключении
control-applications-none = Заявлений не подано.
control-application-file = Принять заявление об исключении
control-application-explain = Заявление может подать само лицо, его представитель или государство его гражданства. Решение принимается в течение 10 рабочих дней со дня подачи.
control-application-filed = Подано
control-application-applicant = Заявитель
control-application-applicant-name = Имя заявителя
control-application-grounds = Основание
control-application-statement = Содержание заявления
control-application-documents = Приложенные документы
control-application-documents-hint = По одному документу в строке.
control-application-due = Решить до
control-application-status = Состояние
control-application-decide = Принять решение
control-decision-title = Решение по заявлению об исключении
control-decision-label = Решение
control-decision-grant = Удовлетворить: исключить из реестра
control-decision-deny = Отказать
control-decision-reasons = Мотивы решения
control-decision-appeal-route = Порядок обжалования
control-decision-appeal-route-hint = Обязателен при отказе: куда и в какой срок можно обжаловать решение.
control-decision-submit = Внести решение
control-history = История записи и исключения
control-history-included = Включён в реестр
control-history-notice = Внесено уведомление
control-history-filed = Подано заявление об исключении
control-history-granted = Заявление удовлетворено
control-history-denied = В заявлении отказано
control-history-removed = Исключён из реестра
control-include = Включить в реестр контролируемых лиц
control-include-explain = Лицо включается только по основанию из перечня и по решению. Ограничения действуют до исключения; лицо должно быть уведомлено.
control-cancel = Исключить: решение отменено
control-cancel-explain = Если решение, на котором основано включение, отменено, лицо исключается из реестра. Мотивы вносятся в историю записи.
control-cancel-reasons = Мотивы и отменяющее решение
control-cancel-submit = Исключить из реестра
control-ground-illegal-entry = Незаконный въезд
control-ground-court-sentence = Приговор суда
control-ground-permit-expired-or-annulled = Истечение срока или аннулирование визы либо разрешения
control-ground-stay-shortened = Решение о сокращении срока пребывания
control-ground-deportation = Решение о депортации
control-ground-readmission = Решение о реадмиссии
control-ground-expulsion = Решение об административном выдворении
control-ground-citizenship-lost = Прекращение гражданства
control-ground-refugee-status-refused = Отказ в признании беженцем или лишение статуса
control-ground-entry-ban = Решение о неразрешении въезда
control-restriction-driving-licence = выдача водительского удостоверения
control-restriction-bank-operations-limited = банковские операции (ограничены)
control-restriction-marriage = регистрация брака
control-restriction-change-of-residence = смена места жительства без разрешения
control-restriction-property-and-company-registration = регистрация имущества и юридических лиц
control-removal-departure = выезд из страны
control-removal-legalised-status = пребывание узаконено разрешением
control-removal-decision-cancelled = решение отменено
control-removal-application-granted = заявление об исключении удовлетворено
control-channel-in-person = Вручено лично
control-channel-post = Почтой
control-channel-email = По электронной почте
control-channel-sms = SMS-сообщением
control-channel-consular = Через консульство
control-applicant-person = Само лицо
control-applicant-representative = Представитель
control-applicant-state = Государство гражданства
control-application-ground-departure = Выезд
control-application-ground-legalised-status = Законное основание пребывания
control-application-ground-decision-cancelled = Отмена решения
control-application-ground-court-ruling = Решение суда
control-application-ground-error = Включён по ошибке
event-control-included = Включён в реестр контролируемых лиц
event-control-removed = Исключён из реестра контролируемых лиц
form-error-invalid-choice = Выберите один из вариантов.
form-error-appeal-route-required = В отказе указывается, куда и в какой срок его можно обжаловать: заполните порядок обжалования.
form-error-note-too-long = Текст слишком длинный: не более 2000 знаков.
form-error-already-listed = Лицо уже состоит в реестре контролируемых лиц.
form-error-entry-removed = Запись уже исключена из реестра: это действие больше невозможно.
form-error-already-decided = По этому заявлению решение уже принято.
form-error-no-calendar = Срок не может быть исчислен: производственный календарь на этот год не загружен. Сообщите администратору.
violation-record = Записать нарушение
violation-article-hint = Если не указана, записывается статья кодекса для этого вида нарушения
violation-description = Описание
violation-employer = Работодатель
violation-decision-ref-hint = Номер и дата постановления; нарушение с постановлением сразу подтверждено
violation-payment = Записать оплату штрафа
violation-paid-on = Дата оплаты
violation-payment-reference = Номер квитанции или платежа
violation-payment-reference-hint = Как указан в квитанции
form-error-invalid-registration-number = БИН — 12 цифр, последняя из которых контрольная: проверьте номер.
form-error-invalid-fine-amount = Сумма штрафа — целое число не меньше нуля.
form-error-invalid-fine-unit = Выберите единицу штрафа из списка.
form-error-article-required = Для этого вида нарушения статья не задана: укажите статью.
form-error-employer-required = Нарушение работодателя: выберите работодателя.
form-error-unknown-employer = Такого работодателя нет в реестре.
form-error-duplicate-employer = Работодатель с этим номером уже в реестре.
form-error-no-fine = По этому нарушению штраф не назначен.
form-error-already-paid = Оплата этого штрафа уже записана.
form-error-violation-dismissed = Нарушение отклонено: штраф не оплачивается.
nav-employers = Работодатели
employers-title = Работодатели
employers-find = Наименование или БИН
employer-name = Наименование
employer-number = БИН (регистрационный номер)
employer-number-hint = 12 цифр; пробелы и дефисы не важны
employer-region = Регион
employer-address = Адрес
employer-recorded = Внесён
employer-record = Внести работодателя
employer-violations = Нарушения
employer-worker = Работник
employer-open-worker = Открыть запись

# Карта мигранта
person-card = Карта мигранта
warning = Внимание
card-number = Номер карты
card-status = Статус
card-status-valid = Действительна
card-status-expired = Срок истёк
card-status-revoked = Аннулирована
card-revoked-exit = при выезде
card-revoked-expulsion = при выдворении
card-revoked-ban = в связи с запретом въезда
card-revoked-replaced = заменена новой картой
card-revoked-officer = решением сотрудника
card-issued-on = Дата выдачи
card-valid-until = Действительна до
card-print = Распечатать карту
card-download-pdf = Карта для печати (PDF, A6)
card-qr-alt = Подписанная печать карты в виде QR-кода
card-none = Карта не выдавалась.
card-issue = Выдать новую карту
card-refused-no-legal-stay = Карта не выдана: лицо не находится в стране на законном основании.
card-refused-not-issuable = Карта не выдана: в реестре нет даты рождения или документа, удостоверяющего личность.
card-title = Карта мигранта
card-print-hint = Распечатайте страницу; QR-код проверяется без сети по сертификату государства.
card-photo = Фото
card-heading = Карта мигранта Республики Казахстан
card-document = Документ, удостоверяющий личность
card-verify-hint = Проверка: sapar card verify --ca ca.pem
# Самообслуживание
self-title = Мой срок пребывания и карта мигранта
self-intro = Введите номер документа, по которому вы пересекли границу, номер карты мигранта и дату рождения, чтобы узнать дни пребывания, последний законный день, срок регистрации и статус карты.
self-document-number = Номер паспорта или иного документа
self-card-number-hint = Как напечатано на карте, например KAZ0000000017
self-birth-date-hint = Год-месяц-день, например 1994-03-08
self-submit = Показать статус
self-registration-due = Зарегистрироваться по месту пребывания до
self-not-listed = Вы не состоите в контрольном списке.
self-removal-how = Вы можете подать письменное заявление об исключении в миграционную службу или через компетентный орган своего государства, приложив документы, подтверждающие, что основание отпало. О решении вам сообщат.
self-again = Проверить ещё раз
self-denied = Эти данные не соответствуют ни одной карте. Проверьте их и попробуйте снова.
self-throttled = Слишком много неудачных попыток. Повторите через четверть часа.
# Registration of place of stay.
person-registrations = Регистрации по месту пребывания
registration-file = Зарегистрировать по месту пребывания
registration-address = Адрес
registration-region = Область или город
registration-locality = Населённый пункт
registration-street = Улица
registration-building = Дом
registration-flat = Квартира
registration-period = Срок пребывания
registration-from = С
registration-until = По
registration-party = Принимающая сторона
registration-party-kind = Кто принимает иностранца
registration-party-name = Наименование или ФИО
registration-party-name-hint = Если мигрант регистрируется сам, оставьте пустым: будет взято имя из записи.
registration-party-identity = Номер документа или БИН
registration-party-identity-hint = Номер документа, удостоверяющего личность, частного лица; БИН организации.
registration-party-private-person = Частное лицо
registration-party-legal-entity = Организация (гостиница, работодатель)
registration-party-migrant = Сам мигрант
registration-state = Состояние
registration-state-submitted = Подана
registration-state-accepted = Принята
registration-state-refused = Отказано
registration-state-superseded = Заменена новым адресом
registration-state-ended = Прекращена
registration-end-exit = выезд
registration-end-deregistered = снятие с учёта
registration-due = Срок регистрации
registration-late = С опозданием
registration-change = Продлить или прекратить
registration-change-day = Дата: новый последний день или день прекращения
registration-change-note = Примечание (при прекращении)
registration-extend = Продлить до этой даты
registration-end = Прекратить с этой даты
form-error-unknown-region = Выберите область или город из списка.
form-error-invalid-period = Срок заканчивается раньше, чем начинается, или новая дата не позже текущего окончания.
form-error-person-not-in-country = Лицо не находится в стране: нет въезда без последующего выезда.
form-error-registration-ended = Эта регистрация больше не действует.
self-registration = Регистрация по месту пребывания
self-registration-state-registered = Зарегистрирован
self-registration-state-due = Ещё не зарегистрирован
self-registration-state-overdue = Срок пропущен: зарегистрируйтесь немедленно
self-registration-state-not-required = Не требуется

# A receiving party's desk
nav-host = Регистрация гостей
host-title = Регистрация иностранца по месту пребывания
host-intro = Укажите документ и дату рождения гостя так, как они записаны в паспорте, адрес и срок пребывания. Данные о госте из реестра не показываются.
host-guest = Гость
host-guest-state = Государство, выдавшее паспорт
host-guest-state-hint = Трёхбуквенный код, например KGZ, UZB, TJK.
host-guest-number = Номер паспорта
host-guest-not-found = Иностранец с таким документом и датой рождения не найден. Проверьте код государства, номер и дату рождения.
host-filed = Регистрация подана
host-reference = Номер регистрации
host-late = Подана с опозданием: срок истёк
host-on-time = Подана в срок; крайний срок —
form-error-unknown-country = Такого кода государства нет. Введите трёхбуквенный код, например KGZ.
form-error-invalid-country = Код государства — три латинские буквы, например KGZ.
form-error-specimen-country = UTO — образец ИКАО, а не государство.
form-error-issuer-not-a-state = Этот код обозначает документ лица без гражданства или беженца, а не государство.
form-error-invalid-document-number = Номер документа: латинские буквы и цифры, до 20 знаков.

# Claims and bulk decisions in the queues
queue-claim = Взять в работу
queue-release = Вернуть в очередь
queue-claimed-by = В работе у
queue-claimed-by-you = У вас в работе
queue-claimed-by-other = Эту запись уже взял в работу другой сотрудник.
queue-select = Отметить
queue-bulk-selected = С отмеченными записями
queue-bulk-none = Отметьте хотя бы одну запись.
queue-bulk-done = Готово
queue-bulk-title = Решение по нескольким записям
queue-bulk-to-decide = Будет решено
queue-bulk-to-skip = Будет пропущено
queue-bulk-nothing = Решать нечего: все отмеченные записи пропускаются.
queue-bulk-confirm = Подтвердить решение
queue-skip-decided = решение уже принято
queue-skip-claimed = в работе у
queue-bulk-decided = { $count ->
    [one] Решена { $count } запись.
    [few] Решено { $count } записи.
   *[many] Решено { $count } записей.
}
queue-bulk-skipped = { $count ->
    [one] Пропущена { $count }.
    [few] Пропущено { $count }.
   *[many] Пропущено { $count }.
}

## Treaty case desk
nav-cases = Дела по обмену
cases-title = Дела по соглашениям об обмене
cases-not-configured = На этом узле обмен сведениями с другими государствами не настроен.
cases-filter = Отбор дел
cases-filter-open = Открытые
cases-filter-due-soon = Срок истекает
cases-filter-overdue = Просроченные
cases-filter-closed = Закрытые
cases-partner = Государство-партнёр
cases-partner-all = Все
cases-apply = Показать
cases-empty = Таких дел нет.
cases-case = Дело
cases-direction = Направление
cases-incoming = Входящее
cases-outgoing = Исходящее
cases-state = Состояние
cases-deadline = Срок ответа
cases-last-activity = Последнее сообщение
cases-answered-on-time = Ответ дан в срок
cases-answered-late = Ответ дан с опозданием
cases-not-answered = Закрыто без ответа
cases-due-today = Срок истекает сегодня
case-title = Дело
case-received-on = Запрос получен
case-messages = Сообщения
case-message-in = Получено
case-message-out = Отправлено
case-body-destroyed = Содержание уничтожено по истечении срока хранения; его хеш остаётся в журнале сообщений.
case-in-reply-to = В ответ на
case-back = Все дела
case-delivery-pending = ожидает доставки
case-delivery-delivered = доставлено
case-delivery-rejected = отклонено партнёром
cases-days-left = { $count ->
    [one] Остался { $count } день
    [few] Осталось { $count } дня
   *[many] Осталось { $count } дней
}
cases-overdue-by = { $count ->
    [one] Просрочено на { $count } день
    [few] Просрочено на { $count } дня
   *[many] Просрочено на { $count } дней
}
case-state-queried = Запрос о наличии сведений
case-state-hit-reported = Дан ответ о наличии сведений
case-state-requested = Запрос получен
case-state-in-progress = Исполняется
case-state-clarification-requested = Запрошены уточнения
case-state-postponed = Исполнение отложено
case-state-authenticity-queried = Проверяется подлинность
case-state-confidentiality-notified = Уведомление о конфиденциальности
case-state-answered = Дан ответ
case-state-refused = Отказано
case-state-withdrawn = Отозван
case-state-noticed = Уведомление
case-state-closed = Закрыто
message-type-query = Запрос о наличии сведений
message-type-hit-result = Ответ о наличии сведений
message-type-request = Запрос
message-type-ack = Подтверждение получения
message-type-clarification-request = Запрос уточнений
message-type-clarification = Уточнение
message-type-delay-notice = Уведомление о задержке
message-type-postponement = Отсрочка исполнения
message-type-postponement-decision = Решение об отсрочке
message-type-answer = Ответ
message-type-refusal = Отказ
message-type-authenticity-query = Запрос о подлинности
message-type-authenticity-confirmation = Подтверждение подлинности
message-type-confidentiality-notice = Уведомление о конфиденциальности
message-type-confidentiality-decision = Решение о конфиденциальности
message-type-consent-request = Запрос согласия
message-type-consent-decision = Решение о согласии
message-type-notice = Уведомление
message-type-signatory-list = Список подписантов
message-type-authority-change = Изменение компетентного органа
message-type-statistics = Статистика
message-type-legislation-update = Изменение законодательства
message-type-agreement-notice = Уведомление по соглашению
message-type-withdrawal = Отзыв запроса
case-step-title = Следующий шаг
case-step-kind = Сообщение партнёру
case-step-text = Текст (для задержки и отсрочки — причина)
case-step-date = Дата
case-step-date-hint = Для задержки — когда ожидается ответ, для отсрочки — до какого дня; ГГГГ-ММ-ДД
case-step-conditions = Условия отсрочки
case-step-send = Подписать и отправить
case-step-sent = Отправлено
case-step-text-required = Напишите текст сообщения.
case-step-date-invalid = Дата записывается как ГГГГ-ММ-ДД.
case-step-refused = Партнёр не принял бы это сообщение в нынешнем состоянии дела; оно не отправлено
nav-channels = Каналы обмена
channels-title = Исходящие каналы обмена
channels-explain = Каждый канал — одно соглашение, одно государство-партнёр, одно направление. Канал, записи которого расходятся с записями партнёра, останавливается; возобновите его, когда оба узла снова согласны.
channels-empty = Каналов пока нет: ни одно сообщение не отправлялось.
channels-channel = Канал
channels-delivered = Последний доставленный №
channels-queued = В очереди
channels-state = Состояние
channels-halted = Остановлен
channels-delivering = Доставляет
channels-resume = Возобновить
channels-resumed = Канал возобновлён
channels-not-resumed = Канал не возобновлён
answer-title = Ответ по данным реестра
case-answer-explain = Подготовить ответ по данным реестра: лицо, указанное в запросе, и по каждой запрошенной категории — сведения, допускаемые соглашением; в отдельной категории можно отказать по основанию из соглашения.
case-answer-start = Подготовить ответ
answer-request = О чём просит партнёр
answer-request-purpose = Заявленная цель
answer-candidates = Лица в реестре, которые могут быть искомым лицом
answer-candidates-explain = Каждое лицо найдено по имени (в любом написании) или номеру документа; указаны вероятность по модели связывания и результат сравнения каждого поля. Проверьте сведения перед отправкой; если лучшее совпадение неверно, выберите другое лицо.
answer-no-person = В запросе нет ни имени, ни номера документа: поиск в реестре невозможен. Ответьте «не найдено» или откажите.
answer-no-candidates = В реестре нет лица, соответствующего описанию: по всем категориям — «не найдено».
answer-probability = Вероятность
answer-evidence = Сравнение по полям
answer-take = Выбрать это лицо
answer-taken = Выбрано
answer-fields = Передаваемые поля
answer-fields-hint = Только поля, указанные в запросе и перечисленные в соглашении (ст. 7). Снимите отметку с того, что партнёру не нужно.
answer-nothing-held = В реестре нет сведений этой категории о выбранном лице.
answer-not-in-register = Реестр не ведёт сведения этой категории: ответьте «не найдено» или откажите.
answer-outcome-send = Передать показанные сведения
answer-outcome-not-found = Ответить «не найдено»
answer-outcome-refuse = Отказать по этой категории (ст. 11.4)
answer-ground = Основание отказа
answer-reasons = Причины отказа (на русском языке, рабочем языке сотрудничества)
answer-send = Подписать и отправить ответ
answer-back = Вернуться к делу
answer-error-ground = Выберите основание отказа из перечня соглашения.
answer-error-reasons = Укажите причины отказа.
answer-error-outcome = Выберите: передать сведения, ответить «не найдено» или отказать.
answer-error-refused = Ответ не отправлен: он не соответствует запросу или состоянию дела
category-registration = Регистрация по месту пребывания
category-residence-permit = Разрешения на проживание
category-work-right = Право на трудовую деятельность
category-citizenship = Гражданство
category-identity-document = Документы, удостоверяющие личность
category-entry-restriction = Ограничения въезда и выезда
category-expulsion = Выдворения
category-statistics = Статистика
category-legislation = Законодательство
category-violations = Нарушения миграционного законодательства
art7-surname = Фамилия (в обоих написаниях)
art7-given-names = Имя (в обоих написаниях)
art7-patronymic = Отчество (в обоих написаниях)
art7-sex = Пол
art7-birth-date = Дата рождения
art7-birth-place = Место рождения
art7-citizenship = Гражданство
art7-document = Документ, удостоверяющий личность
art7-migration-liability = Ответственность за нарушение миграционного законодательства
art7-registration = Регистрация
art7-residence-permit = Разрешение на проживание
art7-work-right = Право на трудовую деятельность
art7-entry-exit-restriction = Ограничение въезда или выезда
art7-photograph = Фотография
art7-fingerprint-card = Дактилоскопическая карта
case-open-title = Открыть дело
case-open-explain = Запрос «есть/нет» спрашивает только, есть ли у партнёра сведения; запрос (ст. 10.2) — сами сведения. Сообщение подписывает уполномоченное лицо направляющего органа, и оно проверяется так, как его проверит партнёр.
case-open-kind = Что отправить
case-open-kind-query = Запрос «есть/нет»
case-open-kind-request = Запрос (ст. 10.2)
case-open-route = Соглашение, от кого, кому
case-open-categories = Запрашиваемые категории (ст. 6)
case-open-fields = Запрашиваемые сведения (ст. 7)
case-open-fields-hint = Для запроса: только то, что нужно для цели.
case-open-person = Лицо
case-open-surname-cyrillic = Фамилия кириллицей
case-open-surname-latin = Фамилия латиницей
case-open-given-cyrillic = Имя кириллицей
case-open-given-latin = Имя латиницей
case-open-patronymic-cyrillic = Отчество кириллицей
case-open-patronymic-latin = Отчество латиницей
case-open-document = Номер документа (серия и номер)
case-open-grounds = Цель и обоснование
case-open-purpose = Цель
case-open-substance = Суть запроса
case-open-justification = Обоснование
case-open-send = Подписать и отправить
case-open-error-kind = Выберите запрос «есть/нет» или запрос.
case-open-error-route = Выберите соглашение и органы.
case-open-error-categories = Отметьте хотя бы одну категорию.
case-open-error-person = Укажите фамилию или номер документа лица.
case-open-error-refused = Не отправлено: партнёр отклонил бы сообщение
case-opened = Дело открыто
