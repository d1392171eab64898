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

## Навигация
nav-border = Пограничный пост
nav-search = Поиск лиц
nav-violations = Нарушения
nav-review = Сверка личностей
nav-audit = Журнал доступа
nav-users = Пользователи
nav-tokens = API-токены

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
