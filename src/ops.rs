//! The operators, aggregate functions and windows of the language: the same words in the
//! syntax tree, the checked model and the evaluator, so they live on the ground floor.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }

    pub fn is_arithmetic(self) -> bool {
        matches!(self, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AggFn {
    Count,
    Sum,
    Mean,
    Min,
    Max,
}

impl AggFn {
    pub fn keyword(self) -> &'static str {
        match self {
            AggFn::Count => "count",
            AggFn::Sum => "sum",
            AggFn::Mean => "mean",
            AggFn::Min => "min",
            AggFn::Max => "max",
        }
    }
}

/// The functions an expression can call on numbers: `min(a, b, …)`, `max(a, b, …)`, `floor(x)`,
/// `ceil(x)`, `round(x)` and `round(x, places)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    Min,
    Max,
    Floor,
    Ceil,
    Round,
}

impl Func {
    pub fn keyword(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Floor => "floor",
            Func::Ceil => "ceil",
            Func::Round => "round",
        }
    }
}

/// The stretch of the year a cap counts over: each month, each quarter, or the whole year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

/// A time of day written `H:MM`, `HH:MM` or `HH:MM:SS` as seconds since midnight; `None` for
/// anything else, and for a time no clock shows (`24:00`, `9:60`, `25:61`).
pub fn clock_seconds(text: &str) -> Option<u32> {
    let mut parts = text.split(':');
    let h = parts.next()?;
    let m = parts.next()?;
    let s = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let digits = |p: &str, lo: usize, hi: usize| {
        (lo..=hi).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1, 2) || !digits(m, 2, 2) || s.is_some_and(|s| !digits(s, 2, 2)) {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let s: u32 = match s {
        Some(s) => s.parse().ok()?,
        None => 0,
    };
    (h < 24 && m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
}

/// Seconds since midnight as a clock shows them: `9:00`, `8:30:15`.
pub fn clock_text(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if s == 0 {
        format!("{h}:{m:02}")
    } else {
        format!("{h}:{m:02}:{s:02}")
    }
}

impl Period {
    pub fn keyword(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// The period as Chinese counts it: `月`, `季度`, `年`.
    pub fn chinese(self) -> &'static str {
        match self {
            Period::Month => "月",
            Period::Quarter => "季度",
            Period::Year => "年",
        }
    }

    /// Whether `month` (1..=12) starts a new stretch.
    pub fn starts(self, month: u8) -> bool {
        match self {
            Period::Month => true,
            Period::Quarter => month % 3 == 1,
            Period::Year => month == 1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Window {
    Month,
    Year,
    /// The quarter of the card (`in quarter`), on a policy with quarterly cards.
    Quarter,
}
