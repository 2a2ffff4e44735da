//! Exact scoring numbers: rationals with `i128` numerator and denominator and checked operations.
//!
//! Every score tally computes (sums, means, weighted bases, divisions, the annual formula) is an
//! [`Exact`]; a third stays a third. Only publication rounds, with the mode the policy states, and
//! it rounds the exact value ([`Exact::round`]). An operation whose result does not fit gives
//! `None`, which the evaluator reports as an error naming the rule, person and period: nothing
//! saturates and nothing is cut short silently.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::BigInt;
use num_rational::Ratio;
use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;

/// How a value is rounded to a number of decimals at publication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// Halves away from zero (the school rule, `四舍五入`).
    HalfUp,
    /// Halves to the even neighbour.
    HalfEven,
    /// Towards zero.
    Down,
    /// Away from zero.
    Up,
}

impl Rounding {
    pub fn keyword(self) -> &'static str {
        match self {
            Rounding::HalfUp => "half-up",
            Rounding::HalfEven => "half-even",
            Rounding::Down => "down",
            Rounding::Up => "up",
        }
    }
}

/// An exact rational number. Always kept in lowest terms with a positive denominator, and never
/// with `i128::MIN` as numerator (so that negation cannot overflow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Exact(Ratio<i128>);

impl Ord for Exact {
    fn cmp(&self, other: &Exact) -> Ordering {
        if self.denom() == other.denom() {
            return self.numer().cmp(&other.numer());
        }
        // Cross-multiplied (denominators are positive) when the products fit: nearly always.
        if let (Some(a), Some(b)) = (
            self.numer().checked_mul(other.denom()),
            other.numer().checked_mul(self.denom()),
        ) {
            return a.cmp(&b);
        }
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Exact) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The largest power of ten an `i128` holds.
const MAX_POW10: u32 = 38;

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl Exact {
    pub const ZERO: Exact = Exact(Ratio::new_raw(0, 1));
    pub const ONE: Exact = Exact(Ratio::new_raw(1, 1));

    fn checked(r: Ratio<i128>) -> Option<Exact> {
        (*r.numer() != i128::MIN && *r.denom() != i128::MIN).then_some(Exact(r))
    }

    pub fn from_int(n: i64) -> Exact {
        Exact(Ratio::from_integer(i128::from(n)))
    }

    /// The value of a decimal, always exactly (a decimal's mantissa has 96 bits and its scale is
    /// at most 28, so both fit).
    pub fn from_decimal(d: Decimal) -> Exact {
        Exact::from_scaled(d.mantissa(), d.scale())
    }

    /// `mantissa / 10^scale`, for a scale of at most 38.
    #[inline]
    pub fn from_scaled(mantissa: i128, scale: u32) -> Exact {
        if scale == 0 || mantissa == 0 {
            return Exact(Ratio::new_raw(mantissa, 1));
        }
        // Nearly every value read from a running sum or a record is small: lowest terms in
        // 64-bit arithmetic, which is many times faster than 128-bit division.
        if let (Ok(m), true) = (i64::try_from(mantissa), scale <= 18) {
            return Exact::from_small_scaled(m, scale);
        }
        Exact::from_wide_scaled(mantissa, scale)
    }

    /// [`Exact::from_scaled`] of a mantissa past 64 bits or a scale past 18.
    fn from_wide_scaled(mantissa: i128, scale: u32) -> Exact {
        // Lowest terms without a general gcd: the denominator is 2^scale * 5^scale, so only
        // factors 2 and 5 can be shared.
        let mut num = mantissa;
        let twos = num.trailing_zeros().min(scale);
        num >>= twos;
        let mut fives = 0;
        while fives < scale && num % 5 == 0 {
            num /= 5;
            fives += 1;
        }
        let den = (|| {
            2i128
                .checked_pow(scale - twos)?
                .checked_mul(5i128.checked_pow(scale - fives)?)
        })();
        match den {
            Some(den) => Exact(Ratio::new_raw(num, den)),
            // Unreachable: a decimal's scale is at most 28, so both powers fit an i128.
            None => Exact(Ratio::new_raw(mantissa, 1)),
        }
    }

    pub fn numer(&self) -> i128 {
        *self.0.numer()
    }

    pub fn denom(&self) -> i128 {
        *self.0.denom()
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.0.is_negative()
    }

    pub fn is_positive(&self) -> bool {
        self.0.is_positive()
    }

    /// The sum, `None` when it does not fit. Whole numbers (most points) are added where the
    /// call is, the rest in [`Exact::add_fractions`].
    #[inline]
    pub fn checked_add(self, other: Exact) -> Option<Exact> {
        if self.denom() == 1 && other.denom() == 1 {
            return Exact::integer(self.numer().checked_add(other.numer())?);
        }
        self.add_fractions(other)
    }

    /// [`Exact::checked_add`] when either is not a whole number.
    fn add_fractions(self, other: Exact) -> Option<Exact> {
        if other.is_zero() {
            return Some(self);
        }
        if self.is_zero() {
            return Some(other);
        }
        if self.denom() == other.denom() {
            // Halves with halves, thirds with thirds: no common denominator to find.
            let num = self.numer().checked_add(other.numer())?;
            return Exact::checked(Ratio::new(num, self.denom()));
        }
        // Halves with tenths, points with hours: whole millionths added.
        if let (Some(a), Some(b)) = (self.small_millionths(), other.small_millionths()) {
            if let Some(sum) = a.checked_add(b) {
                return Some(Exact::from_small_scaled(sum, STORED_PLACES));
            }
        }
        Exact::checked(self.0.checked_add(&other.0)?)
    }

    /// The value in millionths, when it is a whole number of them that fits an `i64` and its
    /// denominator does too: found without 128-bit division.
    fn small_millionths(&self) -> Option<i64> {
        const UNIT: i64 = 10i64.pow(STORED_PLACES);
        let den = i64::try_from(self.denom()).ok()?;
        if den > UNIT || UNIT % den != 0 {
            return None;
        }
        i64::try_from(self.numer()).ok()?.checked_mul(UNIT / den)
    }

    pub fn checked_sub(self, other: Exact) -> Option<Exact> {
        if other.is_zero() {
            return Some(self);
        }
        if self.denom() == 1 && other.denom() == 1 {
            return Exact::integer(self.numer().checked_sub(other.numer())?);
        }
        Exact::checked(self.0.checked_sub(&other.0)?)
    }

    pub fn checked_mul(self, other: Exact) -> Option<Exact> {
        if self.denom() == 1 && other.denom() == 1 {
            return Exact::integer(self.numer().checked_mul(other.numer())?);
        }
        Exact::checked(self.0.checked_mul(&other.0)?)
    }

    fn integer(n: i128) -> Option<Exact> {
        (n != i128::MIN).then_some(Exact(Ratio::new_raw(n, 1)))
    }

    /// `None` when the divisor is zero or the result does not fit; callers that must tell the two
    /// apart test the divisor first.
    pub fn checked_div(self, other: Exact) -> Option<Exact> {
        if other.is_zero() {
            return None;
        }
        if let Some(quotient) = self.small_div(other) {
            return Some(quotient);
        }
        Exact::checked(self.0.checked_div(&other.0)?)
    }

    /// [`Exact::checked_div`] of a nonzero divisor when every numerator and denominator fits 64
    /// bits (an average over twelve months, a share of a budget): lowest terms found with 64-bit
    /// greatest common divisors, many times faster than 128-bit ones. Both are in lowest terms,
    /// so `(a/b) / (c/d)` is `(a/g1 * d/g2) / (b/g2 * c/g1)` with `g1 = gcd(a, c)`,
    /// `g2 = gcd(b, d)`, already in lowest terms; the products of 64-bit halves fit an `i128`.
    fn small_div(self, other: Exact) -> Option<Exact> {
        let small = |n: i128| i64::try_from(n).ok();
        let (a, b) = (small(self.numer())?, small(self.denom())?);
        let (c, d) = (small(other.numer())?, small(other.denom())?);
        if a == 0 {
            return Some(Exact::ZERO);
        }
        let (a_abs, c_abs) = (a.unsigned_abs(), c.unsigned_abs());
        // Denominators are positive.
        let (b, d) = (b.unsigned_abs(), d.unsigned_abs());
        let g1 = num_integer::gcd(a_abs, c_abs);
        let g2 = num_integer::gcd(b, d);
        let num = u128::from(a_abs / g1) * u128::from(d / g2);
        let den = u128::from(b / g2) * u128::from(c_abs / g1);
        let (num, den) = (i128::try_from(num).ok()?, i128::try_from(den).ok()?);
        let num = if (a < 0) != (c < 0) { -num } else { num };
        Some(Exact(Ratio::new_raw(num, den)))
    }

    /// The size of the value (the numerator is never `i128::MIN`, so this cannot overflow).
    pub fn abs(self) -> Exact {
        Exact(Ratio::new_raw(self.numer().saturating_abs(), self.denom()))
    }

    pub fn checked_neg(self) -> Option<Exact> {
        // The numerator is never i128::MIN, so this cannot overflow.
        Some(Exact(Ratio::new_raw(
            self.numer().checked_neg()?,
            self.denom(),
        )))
    }

    /// Adds every value, or `None` on overflow.
    pub fn sum<I: IntoIterator<Item = Exact>>(values: I) -> Option<Exact> {
        values
            .into_iter()
            .try_fold(Exact::ZERO, |acc, v| acc.checked_add(v))
    }

    /// The largest whole number not above the value (`floor(-2.5)` is -3).
    pub fn floor(self) -> Exact {
        // The denominator is positive, so Euclid's quotient is the floor; it cannot overflow, as
        // the numerator is never `i128::MIN`.
        Exact(Ratio::from_integer(self.numer().div_euclid(self.denom())))
    }

    /// The smallest whole number not below the value (`ceil(-2.5)` is -2).
    pub fn ceil(self) -> Exact {
        Exact(Ratio::from_integer(
            -(self.numer().wrapping_neg().div_euclid(self.denom())),
        ))
    }

    pub fn clamp(self, low: Exact, high: Exact) -> Exact {
        if self < low {
            low
        } else if self > high {
            high
        } else {
            self
        }
    }

    /// The value as a decimal, when it is one (its denominator has no prime factor but 2 and 5)
    /// and fits a decimal's 28 digits.
    pub fn to_decimal(&self) -> Option<Decimal> {
        if self.denom() == 1 {
            return Decimal::try_from_i128_with_scale(self.numer(), 0).ok();
        }
        let (twos, fives, rest) = two_five(self.denom());
        if rest != 1 {
            return None;
        }
        let scale = twos.max(fives);
        if scale > 28 {
            return None;
        }
        let factor = pow10(scale)? / self.denom();
        let mantissa = self.numer().checked_mul(factor)?;
        Decimal::try_from_i128_with_scale(mantissa, scale).ok()
    }

    /// [`Exact::from_scaled`] for a mantissa that fits an `i64` and a scale of at most 18.
    #[inline]
    fn from_small_scaled(mantissa: i64, scale: u32) -> Exact {
        // A whole number (most points and counts): one division, by a constant for millionths.
        let (whole, rest) = if scale == STORED_PLACES {
            const UNIT: i64 = 10i64.pow(STORED_PLACES);
            (mantissa / UNIT, mantissa % UNIT)
        } else {
            let unit = 10i64.pow(scale);
            (mantissa / unit, mantissa % unit)
        };
        if rest == 0 {
            return Exact(Ratio::new_raw(i128::from(whole), 1));
        }
        Exact::small_fraction(mantissa, scale)
    }

    /// [`Exact::from_small_scaled`] of a value that is not a whole number: in lowest terms.
    fn small_fraction(mantissa: i64, scale: u32) -> Exact {
        let mut num = mantissa;
        let twos = num.trailing_zeros().min(scale);
        num >>= twos;
        let mut fives = 0;
        while fives < scale && num % 5 == 0 {
            num /= 5;
            fives += 1;
        }
        // 2^18 * 5^18 = 10^18 fits an i64.
        let den = (1i64 << (scale - twos)) * 5i64.pow(scale - fives);
        Exact(Ratio::new_raw(i128::from(num), i128::from(den)))
    }

    /// The value times `10^places` as an `i64`, when that is a whole number that fits. A whole
    /// number (most scores) is scaled where the call is, the rest in [`Exact::scaled_fraction`].
    #[inline]
    pub fn to_scaled(&self, places: u32) -> Option<i64> {
        if self.denom() == 1 && places <= 18 {
            let unit = 10i64.pow(places);
            return i64::try_from(self.numer()).ok()?.checked_mul(unit);
        }
        self.scaled_fraction(places)
    }

    /// [`Exact::to_scaled`] of a value that is not a whole number, or to more than 18 places.
    fn scaled_fraction(&self, places: u32) -> Option<i64> {
        // A decimal fraction (halves, tenths): 64-bit arithmetic, when the operands fit.
        if let (Ok(num), Ok(den), true) = (
            i64::try_from(self.numer()),
            i64::try_from(self.denom()),
            places <= 18,
        ) {
            let unit = 10i64.pow(places);
            return if unit % den == 0 {
                num.checked_mul(unit / den)
            } else {
                None
            };
        }
        let unit = pow10(places)?;
        if unit % self.denom() != 0 {
            return None;
        }
        i64::try_from(self.numer().checked_mul(unit / self.denom())?).ok()
    }

    /// Whether the value has a finite decimal expansion.
    pub fn is_finite_decimal(&self) -> bool {
        two_five(self.denom()).2 == 1
    }

    /// The value rounded to `places` decimals with `mode`, from the exact value; `None` when the
    /// result does not fit a decimal.
    pub fn round(&self, places: u32, mode: Rounding) -> Option<Decimal> {
        let places = places.min(28);
        // A whole number (most totals) is only scaled.
        if self.denom() == 1 {
            if let Some(q) = self.numer().checked_mul(pow10(places)?) {
                return Decimal::try_from_i128_with_scale(q, places).ok();
            }
        }
        let q = match self.numer().checked_mul(pow10(places)?) {
            Some(scaled) => rounded_quotient(scaled, self.denom(), mode)?,
            // A small value with a long denominator: the same in big integers.
            None => {
                let scaled = BigInt::from(self.numer()) * BigInt::from(pow10(places)?);
                rounded_quotient_big(scaled, BigInt::from(self.denom()), mode)?
            }
        };
        Decimal::try_from_i128_with_scale(q, places).ok()
    }

    /// [`Exact::round`] of `mantissa` scaled by `scale` places (a running sum in millionths),
    /// without making the exact value: the same decimal, or `None` where that gives `None`.
    pub fn round_scaled(mantissa: i64, scale: u32, places: u32, mode: Rounding) -> Option<Decimal> {
        let places = places.min(28);
        let Some(more) = places.checked_sub(scale) else {
            // Fewer places than the sum has (2 of 6, nearly always): a division in 64 bits.
            let Some(unit) = 10i64.checked_pow(scale - places) else {
                return Exact::from_scaled(i128::from(mantissa), scale).round(places, mode);
            };
            let (q, r) = (mantissa / unit, (mantissa % unit).abs());
            let q = if away(mode, r.cmp(&(unit - r)), r != 0, q % 2 != 0) {
                q.checked_add(mantissa.signum())?
            } else {
                q
            };
            return Decimal::try_new(q, places).ok();
        };
        let q = i128::from(mantissa).checked_mul(pow10(more)?)?;
        Decimal::try_from_i128_with_scale(q, places).ok()
    }

    /// The value rounded to `places` decimals, as an exact number: itself when it has no more
    /// decimals than that (however large), else [`Exact::round`]'s decimal.
    pub fn round_exact(&self, places: u32, mode: Rounding) -> Option<Exact> {
        match pow10(places.min(MAX_POW10)) {
            Some(p) if p % self.denom() == 0 => Some(*self),
            _ => self.round(places, mode).map(Exact::from_decimal),
        }
    }

    /// The value as data: the decimal when it is one (`873.625`), else the exact fraction
    /// (`2476/3`).
    pub fn plain(&self) -> String {
        match self.to_decimal() {
            Some(d) => d.normalize().to_string(),
            None => self.fraction(),
        }
    }

    /// The exact fraction, `a/b` (or the integer alone).
    pub fn fraction(&self) -> String {
        if self.denom() == 1 {
            self.numer().to_string()
        } else {
            format!("{}/{}", self.numer(), self.denom())
        }
    }

    /// The value as text with at least `places` decimals: exactly, as a finite decimal, or with
    /// its repeating digits in brackets (`825.(3)`, `0.1(6)`); a value whose repeat is too long
    /// to read is written as a fraction (`1/97`).
    pub fn display_places(&self, places: u32) -> String {
        let Some(Expansion {
            negative,
            int,
            prefix,
            repeat,
        }) = expand(*self)
        else {
            return self.fraction();
        };
        let mut s = String::new();
        if negative {
            s.push('-');
        }
        s.push_str(&int.to_string());
        let mut prefix = prefix;
        if repeat.is_empty() {
            while prefix.len() < places as usize {
                prefix.push('0');
            }
        }
        if !prefix.is_empty() || !repeat.is_empty() {
            s.push('.');
            s.push_str(&prefix);
        }
        if !repeat.is_empty() {
            s.push('(');
            s.push_str(&repeat);
            s.push(')');
        }
        s
    }
}

/// The places of a [`Stored`] value's whole number: millionths.
pub const STORED_PLACES: u32 = 6;

/// An exact value kept in large numbers (every person's monthly totals): a whole number of
/// millionths when it is one (nearly always), else the value on the heap. 16 bytes where an
/// [`Exact`] takes 32.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    Millionths(i64),
    Other(Box<Exact>),
}

impl Stored {
    pub fn get(&self) -> Exact {
        match self {
            Stored::Millionths(n) => Exact::from_scaled(i128::from(*n), STORED_PLACES),
            Stored::Other(e) => **e,
        }
    }
}

impl From<Exact> for Stored {
    fn from(e: Exact) -> Stored {
        match e.to_scaled(STORED_PLACES) {
            Some(n) => Stored::Millionths(n),
            None => Stored::Other(Box::new(e)),
        }
    }
}

/// A decimal times `10^places` as an `i64`, when that is a whole number (trailing zeros beyond
/// `places` are dropped) that fits.
pub fn decimal_scaled(d: Decimal, places: u32) -> Option<i64> {
    let (mut m, mut scale) = (d.mantissa(), d.scale());
    // Nearly every value read: no more places than asked, in 64 bits.
    if let (Ok(small), Some(up)) = (i64::try_from(m), places.checked_sub(scale)) {
        if up <= 18 {
            return small.checked_mul(10i64.pow(up));
        }
    }
    while scale > places && m % 10 == 0 {
        m /= 10;
        scale -= 1;
    }
    let unit = pow10(places.checked_sub(scale)?)?;
    i64::try_from(m.checked_mul(unit)?).ok()
}

/// Whether a truncated quotient moves one away from zero, given how its remainder compares with
/// the rest of the divisor (`Less`: under a half), whether there is a remainder, and its parity.
fn away(mode: Rounding, half: Ordering, inexact: bool, odd: bool) -> bool {
    match mode {
        Rounding::Down => false,
        Rounding::Up => inexact,
        Rounding::HalfUp | Rounding::HalfEven => match half {
            Ordering::Less => false,
            Ordering::Greater => true,
            Ordering::Equal => mode == Rounding::HalfUp || odd,
        },
    }
}

/// `num / den` (`den > 0`) rounded to an integer with `mode`.
fn rounded_quotient(num: i128, den: i128, mode: Rounding) -> Option<i128> {
    // Small operands (nearly always) are divided in 64 bits, many times faster than in 128.
    let (q, r) = match (i64::try_from(num), i64::try_from(den)) {
        (Ok(n), Ok(d)) => (i128::from(n / d), i128::from(n % d)),
        _ => (num / den, num % den),
    };
    let r = r.abs();
    // Compare 2r with den without overflow: r < den, so den - r > 0.
    if away(mode, r.cmp(&(den - r)), r != 0, q % 2 != 0) {
        if num < 0 {
            q.checked_sub(1)
        } else {
            q.checked_add(1)
        }
    } else {
        Some(q)
    }
}

fn rounded_quotient_big(num: BigInt, den: BigInt, mode: Rounding) -> Option<i128> {
    use num_integer::Integer;
    let negative = num.is_negative();
    let (q, r) = num.abs().div_rem(&den);
    let r2: BigInt = &r * 2;
    let odd = q.is_odd();
    let q = if away(mode, r2.cmp(&den), !r.is_zero(), odd) {
        q + 1
    } else {
        q
    };
    let q = if negative { -q } else { q };
    q.to_i128()
}

/// Splits `n` (positive) into the powers of 2 and 5 it holds and what remains.
fn two_five(mut n: i128) -> (u32, u32, i128) {
    let (mut twos, mut fives) = (0, 0);
    if n <= 0 {
        return (0, 0, n);
    }
    while n % 2 == 0 {
        n /= 2;
        twos += 1;
    }
    while n % 5 == 0 {
        n /= 5;
        fives += 1;
    }
    (twos, fives, n)
}

/// The longest repeat written out in brackets before a fraction is shown instead.
const MAX_REPEAT: usize = 12;

struct Expansion {
    negative: bool,
    int: i128,
    prefix: String,
    repeat: String,
}

/// The decimal expansion of a value: integer part, the digits before the repeat, the repeat.
/// `None` when the repeat is longer than [`MAX_REPEAT`] or a prefix longer than a decimal's.
fn expand(v: Exact) -> Option<Expansion> {
    let negative = v.is_negative();
    let num = v.numer().checked_abs()?;
    let den = v.denom();
    let int = num / den;
    let mut rem = num % den;
    let (twos, fives, rest) = two_five(den);
    // The digits before the repeat are as many as the larger power of 2 or 5; the repeat's length
    // is the order of 10 modulo what remains.
    let pre_len = twos.max(fives);
    if pre_len > MAX_POW10 {
        return None;
    }
    let mut prefix = String::new();
    for _ in 0..pre_len {
        // rem < den <= i128::MAX / 10 is not guaranteed; use checked arithmetic.
        let scaled = rem.checked_mul(10)?;
        prefix.push(char::from(b'0' + (scaled / den) as u8));
        rem = scaled % den;
    }
    let mut repeat = String::new();
    if rest != 1 {
        let start = rem;
        loop {
            let scaled = rem.checked_mul(10)?;
            repeat.push(char::from(b'0' + (scaled / den) as u8));
            rem = scaled % den;
            if rem == start {
                break;
            }
            if repeat.len() >= MAX_REPEAT {
                return None;
            }
        }
    } else {
        while prefix.ends_with('0') {
            prefix.pop();
        }
    }
    Some(Expansion {
        negative: negative && (int != 0 || !prefix.is_empty() || !repeat.is_empty()),
        int,
        prefix,
        repeat,
    })
}

impl From<Decimal> for Exact {
    fn from(d: Decimal) -> Exact {
        Exact::from_decimal(d)
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_places(0))
    }
}

#[cfg(test)]
mod tests;
