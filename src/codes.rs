//! Every diagnostic code tally can print. Codes are stable: scripts and the branch's notes may refer
//! to them. Each has a fixture under `tests/fixtures/` that triggers it: the policy checker's codes
//! under `tests/fixtures/check/`, the scenario codes of `tally test` under `tests/fixtures/scenario/`,
//! the problems with a roster or record files under `tests/fixtures/records/`, the problems found
//! while scoring under `tests/fixtures/eval/` (all but `tally::internal`, which only a fault of
//! tally itself can give), the problems with a command's arguments and output under
//! `tests/fixtures/command/` (all but `tally::lsp-connection`, which only an editor can give).

macro_rules! codes {
    (
        $( $(#[doc = $doc:literal])* $variant:ident = $text:literal, )*
        @scenario {
            $( $(#[doc = $sdoc:literal])* $svariant:ident = $stext:literal, )*
        }
        @records {
            $( $(#[doc = $rdoc:literal])* $rvariant:ident = $rtext:literal, )*
        }
        @eval {
            $( $(#[doc = $edoc:literal])* $evariant:ident = $etext:literal, )*
        }
        @command {
            $( $(#[doc = $cdoc:literal])* $cvariant:ident = $ctext:literal, )*
        }
    ) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
            $( $(#[doc = $sdoc])* $svariant, )*
            $( $(#[doc = $rdoc])* $rvariant, )*
            $( $(#[doc = $edoc])* $evariant, )*
            $( $(#[doc = $cdoc])* $cvariant, )*
        }

        impl Code {
            /// Every code the policy checker can give (`tally check`).
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];
            /// Every code a scenario file can give (`tally test`).
            pub const SCENARIO: &'static [Code] = &[$(Code::$svariant),*];
            /// Every code a roster or a record file can give (`tally eval`, `explain`, `diff`).
            pub const RECORDS: &'static [Code] = &[$(Code::$rvariant),*];
            /// Every code scoring can give once the inputs are read (`tally eval`, `explain`, `diff`).
            pub const EVAL: &'static [Code] = &[$(Code::$evariant),*];
            /// Every code about the command itself: its arguments and its output (every command).
            pub const COMMAND: &'static [Code] = &[$(Code::$cvariant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $text, )*
                    $( Code::$svariant => $stext, )*
                    $( Code::$rvariant => $rtext, )*
                    $( Code::$evariant => $etext, )*
                    $( Code::$cvariant => $ctext, )*
                }
            }
        }
    };
}

codes! {
    // ------------------------------------------------------------------------------------- reading
    /// The file is not valid UTF-8.
    InvalidUtf8 = "tally::invalid-utf8",
    /// The text does not follow the grammar.
    Syntax = "tally::syntax",
    /// Brackets or expressions nested deeper than a person would write.
    TooDeep = "tally::too-deep",
    /// A number that does not fit (a year of 99999999999, a budget with 40 digits).
    BadNumber = "tally::bad-number",

    // ------------------------------------------------------------------------------ the header
    /// No `policy "…" year … total …` line.
    MissingHeader = "tally::missing-header",
    /// A declaration that may appear once appears twice (`policy`, `annual`, `round`, `roster`, `grades`).
    DuplicateDecl = "tally::duplicate-declaration",
    /// The annual formula uses something other than the monthly totals.
    BadAnnual = "tally::bad-annual",

    // ------------------------------------------------------------------------------------ names
    /// A record kind that is not declared.
    UnknownRecord = "tally::unknown-record",
    /// A field that the record kind does not have.
    UnknownField = "tally::unknown-field",
    /// A roster column that the roster does not declare.
    UnknownColumn = "tally::unknown-column",
    /// A value that the enumeration does not list.
    UnknownValue = "tally::unknown-value",
    /// `cap NAME` on a rule names no declared `cap NAME "…" N`.
    UnknownCap = "tally::unknown-cap",
    /// `once NAME` on a rule names no declared `once NAME "…" per …`.
    UnknownOnce = "tally::unknown-once",
    /// A grade that the `grades` block does not name.
    UnknownGrade = "tally::unknown-grade",
    /// A field type that is not a unit, `text`, `bool` or an enumeration.
    UnknownType = "tally::unknown-type",
    /// `by` names something other than `person`, `department` or `town`.
    UnknownSubject = "tally::unknown-subject",
    /// `to` names something other than `person`, `members`, `staff` or `head`.
    UnknownTarget = "tally::unknown-target",
    /// Two declarations with the same id.
    DuplicateId = "tally::duplicate-id",
    /// Two record kinds, sections or items with the same label.
    DuplicateLabel = "tally::duplicate-label",
    /// A roster column named like a built-in column, or a field named like a built-in record column.
    ReservedName = "tally::reserved-name",

    // ------------------------------------------------------------------------------------ types
    /// Quantities of different units (days and hours, points and households) combined or compared.
    UnitMismatch = "tally::unit-mismatch",
    /// Text, an enumeration value or a condition where a number is needed, or the other way round.
    TypeMismatch = "tally::type-mismatch",
    /// Points and a ledger's unit (元) added or compared, a ledger converted from itself, an unknown
    /// ledger, or what is shared across ledgers (`from total`, grades, named caps) in a ledger's
    /// section (§30).
    LedgerMismatch = "tally::ledger-mismatch",
    /// A function given the wrong number of values (`min(x)`, `floor(a, b)`), or `round` given
    /// places that are not a whole number from 0 to 10.
    FunctionArguments = "tally::function-arguments",
    /// `sum`, `mean`, `min` or `max` over a field that is not a number.
    NotNumeric = "tally::not-numeric",
    /// A `where` that reads a field of another record kind.
    ForeignField = "tally::foreign-field",
    /// A lookup table that leaves out a value of its enumeration, or lists one twice.
    IncompleteTable = "tally::incomplete-table",
    /// An amount taken from a record field whose declared range does not lie in the rule's range.
    AmountRange = "tally::amount-range",
    /// An amount, base or cap that is not in points.
    NotPoints = "tally::not-points",
    /// A construct used where it has no meaning (`zero` outside an item, an aggregate in `for`).
    Misplaced = "tally::misplaced",
    /// A target that the rule's record kinds cannot reach (`to staff` on a person's record).
    BadTarget = "tally::bad-target",
    /// Two `base` rules of an item can apply to the same person.
    OverlappingBases = "tally::overlapping-bases",
    /// A range whose lower end is above its upper end, or a bad field declaration (a `whole` field
    /// with a fractional bound).
    BadRange = "tally::bad-range",
    /// A rule reads a record kind declared `not scored`.
    NotScored = "tally::not-scored",
    /// A division by a divisor that is zero as written (`/ 0`, `/ (1 - 1)`).
    DivisionByZero = "tally::division-by-zero",
    /// Numbers written in the policy whose result is larger than tally can compute exactly or
    /// publish (`9999999999999999999999999999 * 9999999999999999999999999999`, or a factor that
    /// takes any score past 28 digits).
    TooLarge = "tally::too-large",
    /// A record kind, section, item or adjustments block labelled with an empty text.
    EmptyLabel = "tally::empty-label",
    /// A label or a flag's text holds a character nobody can see or type (a control character, a
    /// zero-width space): it never matches what is typed, and it reaches the published files. Or
    /// a kind's label or a string compared with a field has white space at an end, which no
    /// trimmed cell can match.
    HiddenCharacter = "tally::hidden-character",

    // ---------------------------------------------------------------------------------- budgets
    /// The items of a section do not add up to its budget.
    ItemBudgets = "tally::item-budgets",
    /// The sections do not add up to the policy's total.
    SectionBudgets = "tally::section-budgets",

    // ----------------------------------------------------------------------------------- grades
    /// Grade bands not in descending order, or without a last band for everything below.
    GradeOrder = "tally::grade-order",
    /// A grade band that no score can reach: its threshold is the one of the band before it
    /// (error), or no person can get it, as the score bounds show (warning).
    GradeUnreachable = "tally::grade-unreachable",
    /// A grade's threshold above the highest annual result the policy can give, as the score
    /// bounds show (warning).
    ThresholdAboveMaximum = "tally::threshold-above-maximum",
    /// No `grades` block.
    MissingGrades = "tally::missing-grades",

    // ------------------------------------------------------------------------------------ lints
    /// A record kind declared and never used by a rule (warning).
    UnusedRecord = "tally::unused-record",
    /// A per-event amount larger than its item's budget and not taken `from total` (warning).
    AmountOverBudget = "tally::amount-over-budget",
    /// A rule without a clause citation (warning).
    NoCitation = "tally::no-citation",
    /// Two rules that say the same thing (warning).
    DuplicateRule = "tally::duplicate-rule",
    /// A cap that can never bind, because the item's budget is smaller (warning).
    CapNeverBinds = "tally::cap-never-binds",
    /// A condition that can never hold (warning).
    NeverFires = "tally::never-fires",
    /// A divisor that can be zero at run time: a count, a sum, a field whose range holds 0 (warning).
    DivisorMayBeZero = "tally::divisor-may-be-zero",
    /// A `highest per` rule whose amount can be a reward for one record and a deduction for
    /// another, so "the largest effect" compares the two by size (warning).
    HighestMixedSigns = "tally::highest-mixed-signs",
    /// A `once` group whose rules can give a reward for one record and a deduction for another:
    /// "the largest effect" of one act would compare the two by size.
    OnceMixedSigns = "tally::once-mixed-signs",
    /// `demote to GRADE` naming a grade without a lowest score: the last grade, or one written
    /// `> N`, whose band has no least score to set.
    GradeWithoutFloor = "tally::grade-without-floor",
    /// `freeze ID` naming no adjustments block.
    UnknownBlock = "tally::unknown-block",

    // ----------------------------------------------------------------- scenario files (`tally test`)
    @scenario {
        /// A line a scenario file cannot be read as: an unterminated text, a missing value, an
        /// indented line outside a block.
        ScenarioSyntax = "tally::scenario-syntax",
        /// A keyword or an expectation key that does not exist.
        ScenarioUnknownKey = "tally::scenario-unknown-key",
        /// A person, item, grade or record kind that the roster or the policy does not have.
        ScenarioUnknownName = "tally::scenario-unknown-name",
        /// A number, date or period that is not one, or a period outside the policy year.
        ScenarioBadValue = "tally::scenario-bad-value",
        /// Something given twice: the title, the roster, the same expectation.
        ScenarioDuplicate = "tally::scenario-duplicate",
        /// A scenario without a title or without a roster.
        ScenarioMissing = "tally::scenario-missing",
        /// A used file that cannot be read, or that uses itself.
        ScenarioFile = "tally::scenario-file",
        /// A roster or record row written in the scenario that the policy does not accept.
        ScenarioInput = "tally::scenario-input",
    }
    // ------------------------------------------- the roster and record files (`eval`, `diff`, …)
    @records {
        /// A file or folder that cannot be read: missing, unreadable, a folder given as a file, a
        /// folder without `*.csv` files.
        CannotRead = "tally::cannot-read",
        /// One record file given twice (by two names, or in a folder and by itself).
        FileGivenTwice = "tally::file-given-twice",
        /// A file that is neither UTF-8 nor GBK text, or not in the encoding `--encoding` names.
        NotUtf8 = "tally::not-utf8",
        /// Lines that end with a carriage return alone (an old Mac format).
        CrLineEndings = "tally::cr-line-endings",
        /// A quote that opens a cell and is never closed.
        UnclosedQuote = "tally::unclosed-quote",
        /// A quote closed in the middle of a cell, or after spaces where it opens nothing.
        MisplacedQuote = "tally::misplaced-quote",
        /// A header cell without a name.
        UnnamedColumn = "tally::unnamed-column",
        /// A header naming a column the file cannot have.
        UnknownHeader = "tally::unknown-header",
        /// A column named twice in the header.
        DuplicateColumn = "tally::duplicate-column",
        /// A column the file needs and does not have (`date`, `kind`, a roster column, a field).
        MissingColumn = "tally::missing-column",
        /// A roster without people.
        EmptyRoster = "tally::empty-roster",
        /// A row with more cells than the header has names.
        TooManyCells = "tally::too-many-cells",
        /// A cell left empty that must hold something.
        MissingValue = "tally::missing-value",
        /// A number cell that is not a number as records write them (`1e3`, `.5`, `２５`).
        NotANumber = "tally::not-a-number",
        /// A fraction where the field takes whole numbers.
        NotWhole = "tally::not-whole",
        /// A number outside the range the policy declares for it.
        OutOfRange = "tally::out-of-range",
        /// A value that is not one the field lists, or neither `true` nor `false`.
        NotInList = "tally::not-in-list",
        /// A date that is not a calendar day.
        BadDate = "tally::bad-date",
        /// A time of day that is not one (`24:00`, `9:60`, `8.30`).
        BadTime = "tally::bad-time",
        /// A date outside the policy's year.
        OutsideYear = "tally::outside-year",
        /// A record kind the policy does not declare.
        UnknownKind = "tally::unknown-kind",
        /// A person the roster does not list.
        UnknownPerson = "tally::unknown-person",
        /// A department the roster does not name.
        UnknownDepartment = "tally::unknown-department",
        /// A record naming whom its kind cannot be about (a person on a department's record).
        WrongSubject = "tally::wrong-subject",
        /// A value in the column of a field the row's kind does not have.
        OtherKindsField = "tally::other-kinds-field",
        /// A person listed twice in the roster.
        DuplicatePerson = "tally::duplicate-person",
        /// Two heads marked in one department.
        TwoHeads = "tally::two-heads",
    }
    // ------------------------------------- scoring the records that were read (`eval`, `diff`, …)
    @eval {
        /// `--as-of` is a day before the policy's year.
        ReportDayBeforeYear = "tally::report-day-before-year",
        /// Records dated after the report day (`--as-of`).
        AfterReportDay = "tally::after-report-day",
        /// A value the policy divides by is zero for a record, a person or a month (the divisor
        /// that is zero as written is the checker's `tally::division-by-zero`).
        DividesByZero = "tally::divides-by-zero",
        /// A sum, product or total too large to hold exactly or to publish.
        ArithmeticOverflow = "tally::arithmetic-overflow",
        /// A fact the policy reads one value of is recorded more than once for a person.
        RepeatedFact = "tally::repeated-fact",
        /// A rule that gives points to the person named on a record, on a record that names none.
        NoPerson = "tally::no-person",
        /// A rule that takes points from a department's head, where the roster marks no head.
        NoHead = "tally::no-head",
        /// A rule whose points go to a role (`to secretary`), where nobody in the record's
        /// department or group holds it.
        NoRole = "tally::no-role",
        /// A rule whose points go to a department's members, staff or head, on a record about the
        /// whole town, which has no department.
        NoDepartment = "tally::no-department",
        /// A rule reads a value its record cannot give: a policy `check` should have refused (a
        /// fault of tally itself, never of the records).
        Internal = "tally::internal",
    }
    // ------------------------------------------------ the command itself: its arguments, its output
    @command {
        /// An argument the command cannot use: `--as-of` that is not a date, a period outside the
        /// policy's year, an output the command cannot tell the form of or cannot write there (a
        /// workbook to the standard output), two revisions `diff` cannot compare.
        BadArgument = "tally::bad-argument",
        /// An output that cannot be written, or that would write over an input, a folder, or a file
        /// that may hold work (a filled-in template).
        CannotWrite = "tally::cannot-write",
        /// The editor's connection to the language server (`tally lsp`) failed.
        LspConnection = "tally::lsp-connection",
    }
}
