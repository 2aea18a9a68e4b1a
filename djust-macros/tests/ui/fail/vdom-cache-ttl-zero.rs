use djust_actix::VdomCacheConfig;

const CACHE: VdomCacheConfig = VdomCacheConfig::new(0, 100);

fn main() {
    let _ = CACHE;
}
