import os


class Config:
    SESSION_COOKIE_HTTPONLY = True
    # Generated once and kept in the environment: the same in every process and after restarts.
    SECRET_KEY = os.environ["FLASK_SECRET_KEY"]
    SECRET_KEY_FALLBACKS = [key for key in os.environ.get("FLASK_SECRET_KEY_FALLBACKS", "").split() if key]


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True


config_by_name = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
