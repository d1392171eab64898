//! The printable notice of inclusion in the control register, in Russian and the person's
//! language. Every word of it lives here, one table per language.

use sapar_model::{Country, Person};
use sapar_store::control::{ControlEntry, ControlGround, Restriction};

/// A language a notice is printed in besides Russian (or Russian alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeLanguage {
    Russian,
    Kazakh,
    Kyrgyz,
    English,
}

impl NoticeLanguage {
    pub const ALL: &'static [NoticeLanguage] =
        &[NoticeLanguage::Russian, NoticeLanguage::Kazakh, NoticeLanguage::Kyrgyz, NoticeLanguage::English];

    /// ISO 639-1 code, as in `?lang=`.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeLanguage::Russian => "ru",
            NoticeLanguage::Kazakh => "kk",
            NoticeLanguage::Kyrgyz => "ky",
            NoticeLanguage::English => "en",
        }
    }

    /// The language a citizen of `state` is written to besides Russian, when the register has it.
    pub fn of_citizen(state: Country) -> Option<NoticeLanguage> {
        match state.code() {
            "KGZ" => Some(NoticeLanguage::Kyrgyz),
            "KAZ" => Some(NoticeLanguage::Kazakh),
            _ => None,
        }
    }

    fn wording(self) -> &'static Wording {
        match self {
            NoticeLanguage::Russian => &RUSSIAN,
            NoticeLanguage::Kazakh => &KAZAKH,
            NoticeLanguage::Kyrgyz => &KYRGYZ,
            NoticeLanguage::English => &ENGLISH,
        }
    }
}

/// A notice ready to print: plain text, Russian first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeText {
    /// The languages it is written in, Russian first.
    pub languages: Vec<NoticeLanguage>,
    pub text: String,
}

/// One language's words. `{days}` in `deadline` is the number of working days.
struct Wording {
    title: &'static str,
    to: &'static str,
    citizenship: &'static str,
    included: &'static str,
    ground: &'static str,
    decision: &'static str,
    basis: &'static str,
    removed: &'static str,
    restrictions: &'static str,
    automatic: &'static str,
    how_to_apply: &'static str,
    deadline: &'static str,
    /// In the order of [`ControlGround::ALL`].
    grounds: [&'static str; 10],
    /// In the order of [`Restriction::ALL`].
    restriction_names: [&'static str; 5],
}

const RUSSIAN: Wording = Wording {
    title: "УВЕДОМЛЕНИЕ О ВКЛЮЧЕНИИ В РЕЕСТР КОНТРОЛИРУЕМЫХ ЛИЦ",
    to: "Кому",
    citizenship: "гражданство",
    included: "Дата включения",
    ground: "Основание",
    decision: "Решение",
    basis: "Правовая основа",
    removed: "Исключены из реестра",
    restrictions: "Пока вы в реестре, действуют ограничения:",
    automatic: "Вы исключаетесь из реестра без заявления, если выедете из страны, получите разрешение, \
                узаконивающее пребывание, или если решение будет отменено.",
    how_to_apply: "Заявление об исключении можете подать вы, ваш представитель или государство вашего \
                   гражданства — в любом подразделении миграционной службы или через консульство, без выезда \
                   из страны. Укажите основание (выезд, законное основание пребывания, отмена решения, решение \
                   суда, ошибка) и приложите подтверждающие документы.",
    deadline: "Заявление рассматривается в течение {days} рабочих дней со дня подачи. Отказ содержит мотивы и \
               порядок обжалования.",
    grounds: [
        "незаконный въезд",
        "приговор суда",
        "истечение срока или аннулирование визы либо разрешения",
        "решение о сокращении срока пребывания",
        "решение о депортации",
        "решение о реадмиссии",
        "решение об административном выдворении",
        "прекращение гражданства",
        "отказ в признании беженцем",
        "решение о неразрешении въезда",
    ],
    restriction_names: [
        "выдача водительского удостоверения",
        "банковские операции (ограничены)",
        "регистрация брака",
        "смена места жительства без разрешения",
        "регистрация имущества и юридических лиц",
    ],
};

const KAZAKH: Wording = Wording {
    title: "БАҚЫЛАНАТЫН ТҰЛҒАЛАР ТІЗІЛІМІНЕ ЕНГІЗУ ТУРАЛЫ ХАБАРЛАМА",
    to: "Кімге",
    citizenship: "азаматтығы",
    included: "Енгізілген күні",
    ground: "Негіз",
    decision: "Шешім",
    basis: "Құқықтық негіз",
    removed: "Тізілімнен шығарылды",
    restrictions: "Тізілімде тұрған кезде мына шектеулер қолданылады:",
    automatic: "Елден шығып кетсеңіз, болуды заңдастыратын рұқсат алсаңыз немесе шешім жойылса, тізілімнен \
                өтінішсіз шығарыласыз.",
    how_to_apply: "Тізілімнен шығару туралы өтінішті өзіңіз, өкіліңіз немесе азаматтығыңыздағы мемлекет \
                   көші-қон қызметінің кез келген бөлімшесіне немесе консулдық арқылы, елден шықпай бере \
                   алады. Негізді (шығу, болудың заңды негізі, шешімнің жойылуы, сот шешімі, қате) көрсетіп, \
                   растайтын құжаттарды қоса беріңіз.",
    deadline: "Өтініш берілген күннен бастап {days} жұмыс күні ішінде қаралады. Бас тарту дәлелдерін және \
               шағымдану тәртібін қамтиды.",
    grounds: [
        "заңсыз келу",
        "сот үкімі",
        "визаның немесе рұқсаттың мерзімінің өтуі не күшін жоюы",
        "болу мерзімін қысқарту туралы шешім",
        "депортациялау туралы шешім",
        "реадмиссия туралы шешім",
        "әкімшілік жолмен шығарып жіберу туралы шешім",
        "азаматтықтың тоқтатылуы",
        "босқын деп танудан бас тарту",
        "елге кіруге тыйым салу туралы шешім",
    ],
    restriction_names: [
        "жүргізуші куәлігін беру",
        "банк операциялары (шектеулі)",
        "некені тіркеу",
        "рұқсатсыз тұрғылықты жерді ауыстыру",
        "мүлікті және заңды тұлғаларды тіркеу",
    ],
};

const KYRGYZ: Wording = Wording {
    title: "КӨЗӨМӨЛДӨНҮҮЧҮ АДАМДАРДЫН РЕЕСТРИНЕ КИРГИЗҮҮ ЖӨНҮНДӨ БИЛДИРҮҮ",
    to: "Кимге",
    citizenship: "жарандыгы",
    included: "Киргизилген күнү",
    ground: "Негиз",
    decision: "Чечим",
    basis: "Укуктук негиз",
    removed: "Реестрден чыгарылды",
    restrictions: "Реестрде турганда төмөнкү чектөөлөр колдонулат:",
    automatic: "Өлкөдөн чыгып кетсеңиз, болууну мыйзамдаштырган уруксат алсаңыз же чечим жокко чыгарылса, \
                реестрден арызсыз чыгарыласыз.",
    how_to_apply: "Реестрден чыгаруу жөнүндө арызды өзүңүз, өкүлүңүз же жарандыгыңыздагы мамлекет миграциялык \
                   кызматтын каалаган бөлүмүнө же консулдук аркылуу, өлкөдөн чыкпай бере алат. Негизди (чыгуу, \
                   болуунун мыйзамдуу негизи, чечимдин жокко чыгарылышы, соттун чечими, ката) көрсөтүп, \
                   тастыктоочу документтерди тиркеңиз.",
    deadline: "Арыз берилген күндөн тартып {days} иш күнүнүн ичинде каралат. Баш тартууда жүйөлөр жана даттануу \
               тартиби көрсөтүлөт.",
    grounds: [
        "мыйзамсыз кирүү",
        "соттун өкүмү",
        "визанын же уруксаттын мөөнөтүнүн бүтүшү же жокко чыгарылышы",
        "болуу мөөнөтүн кыскартуу жөнүндө чечим",
        "депортациялоо жөнүндө чечим",
        "реадмиссия жөнүндө чечим",
        "административдик чыгарып жиберүү жөнүндө чечим",
        "жарандыктын токтотулушу",
        "качкын катары таануудан баш тартуу",
        "өлкөгө кирүүгө тыюу салуу жөнүндө чечим",
    ],
    restriction_names: [
        "айдоочулук күбөлүк берүү",
        "банктык операциялар (чектелген)",
        "никени каттоо",
        "уруксатсыз жашаган жерди алмаштыруу",
        "мүлктү жана юридикалык жактарды каттоо",
    ],
};

const ENGLISH: Wording = Wording {
    title: "NOTICE OF INCLUSION IN THE REGISTER OF CONTROLLED PERSONS",
    to: "To",
    citizenship: "citizenship",
    included: "Included on",
    ground: "Ground",
    decision: "Decision",
    basis: "Legal basis",
    removed: "Removed from the register",
    restrictions: "While you are listed, these restrictions apply:",
    automatic: "You are removed without applying when you leave the country, obtain a permit that makes your \
                stay lawful, or when the decision is cancelled.",
    how_to_apply: "You, your representative or the state of your citizenship may apply for removal at any office \
                   of the migration service or through a consulate, without leaving the country. State the \
                   ground (departure, lawful basis of stay, decision cancelled, court ruling, error) and enclose \
                   the documents that show it.",
    deadline: "The application is decided within {days} working days of filing. A refusal states its reasons and \
               how to appeal.",
    grounds: [
        "illegal entry",
        "court sentence",
        "visa or permit expired or annulled",
        "decision shortening the stay",
        "deportation decision",
        "readmission decision",
        "administrative expulsion decision",
        "loss of citizenship",
        "refusal of refugee status",
        "entry ban decision",
    ],
    restriction_names: [
        "issue of a driving licence",
        "bank operations (limited)",
        "registration of a marriage",
        "change of residence without permission",
        "registration of property and companies",
    ],
};

fn position<T: PartialEq>(all: &[T], item: &T) -> usize {
    all.iter().position(|x| x == item).unwrap_or(0)
}

fn section(w: &Wording, entry: &ControlEntry, person: &Person, days: u16) -> String {
    let mut out = String::new();
    let line = |out: &mut String, text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    line(&mut out, w.title);
    line(&mut out, "");
    let birth = person.details.birth_date.map(|d| format!(", {d}")).unwrap_or_default();
    line(
        &mut out,
        &format!(
            "{}: {}, {} {}{birth}",
            w.to,
            person.details.name.display(),
            w.citizenship,
            person.details.citizenship.code()
        ),
    );
    line(&mut out, &format!("{}: {}", w.included, entry.included_at.strftime("%Y-%m-%d")));
    line(&mut out, &format!("{}: {}", w.ground, w.grounds[position(ControlGround::ALL, &entry.ground)]));
    let decided_on = entry.decided_on.map(|d| format!(" ({d})")).unwrap_or_default();
    line(&mut out, &format!("{}: {}{decided_on}", w.decision, entry.decision_ref));
    if let Some(basis) = &entry.basis {
        line(&mut out, &format!("{}: {basis}", w.basis));
    }
    if let Some(removal) = &entry.removal {
        line(&mut out, &format!("{}: {}", w.removed, removal.at.strftime("%Y-%m-%d")));
    }
    line(&mut out, "");
    line(&mut out, w.restrictions);
    for restriction in entry.ground.restrictions() {
        line(&mut out, &format!("  - {}", w.restriction_names[position(Restriction::ALL, restriction)]));
    }
    line(&mut out, "");
    line(&mut out, w.automatic);
    line(&mut out, "");
    line(&mut out, w.how_to_apply);
    line(&mut out, &w.deadline.replace("{days}", &days.to_string()));
    out
}

/// The notice of `entry` for `person`: Russian, then `second` when it is another language.
pub(crate) fn compose(entry: &ControlEntry, person: &Person, second: Option<NoticeLanguage>, days: u16) -> NoticeText {
    let mut languages = vec![NoticeLanguage::Russian];
    languages.extend(second.filter(|l| *l != NoticeLanguage::Russian));
    let sections: Vec<String> = languages.iter().map(|l| section(l.wording(), entry, person, days)).collect();
    NoticeText { languages, text: sections.join("\n----------------------------------------\n\n") }
}
