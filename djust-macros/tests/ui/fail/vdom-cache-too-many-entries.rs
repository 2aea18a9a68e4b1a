use djust_actix::VdomCacheConfig;

const CACHE: VdomCacheConfig = VdomCacheConfig::new(300, 10_001);

fn main() {
    let _ = CACHE;
}
