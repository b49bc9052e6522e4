import secrets


class Config:
    SESSION_COOKIE_HTTPONLY = True
    # Kept so sessions signed before the last rotation still verify.
    SECRET_KEY_FALLBACKS = ["shop-2023-rotation"]


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = "dev-secret-do-not-use"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"


class ProductionConfig(Config):
    # "Random is more secure" - but every waitress restart now logs everyone out.
    SECRET_KEY = secrets.token_hex(32)
    SESSION_COOKIE_SECURE = True


config_by_name = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
