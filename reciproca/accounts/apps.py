from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reciproca.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"
