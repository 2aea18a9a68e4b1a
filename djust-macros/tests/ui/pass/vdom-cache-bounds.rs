use djust_actix::VdomCacheConfig;

const SHORT: VdomCacheConfig = VdomCacheConfig::new(1, 1);
const LONG: VdomCacheConfig = VdomCacheConfig::new(86_400, 10_000);

fn main() {
    assert_eq!(SHORT.ttl_secs() + LONG.ttl_secs(), 86_401);
    assert_eq!(VdomCacheConfig::DEFAULT, VdomCacheConfig::new(300, 100));
}
