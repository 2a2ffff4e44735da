//! Asking the processor to start loading memory that will be needed soon.

/// Starts loading the cache line holding `value`, without waiting for it. Only a hint: it changes
/// no result, only how long the next access to `value` waits.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults and has no visible effect on memory; the pointer comes from
    // a reference, so it is valid in any case.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            std::ptr::from_ref(value).cast::<i8>(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
