from backline.accounts.api import auth_router
from backline.accounts.api import router as accounts_router
from backline.accounts.auth import API_AUTH
from backline.artists.api import router as artists_router
from backline.artists.epk_api import router as press_kit_router
from backline.artists.rider_api import router as riders_router
from backline.artists.verification_api import router as act_verification_router
from backline.bookings.agency.api import router as agency_router
from backline.bookings.api import router as bookings_router
from backline.bookings.vouch_api import router as vouch_router
from backline.contacts.api import router as contacts_router
from backline.conversations.api import router as conversations_router
from backline.core.api import install_error_handlers
from backline.core.api.places import router as places_router
from backline.core.openapi import BacklineAPI
from backline.mail.api import router as mail_router
from backline.media.api import router as media_router
from backline.network.api import router as network_router
from backline.network.manage_api import router as network_manage_router
from backline.notifications.api import router as notifications_router
from backline.outreach.api import router as outreach_router
from backline.profiles.api import router as profiles_router
from backline.profiles.venue_api import router as public_venues_router
from backline.scheduling.api import router as scheduling_router
from backline.search.api import router as search_router
from backline.search.directory_api import router as directory_router
from backline.venues.api import router as venues_router
from backline.venues.verification_api import router as venue_verification_router

api = BacklineAPI(
    title="Backline API",
    version="1",
    description=(
        "The JSON API of Backline. Authenticate with `POST /api/v1/auth/login` and send "
        "`Authorization: Bearer <access_token>`, or use the browser session (with the CSRF header). "
        "Errors are RFC 9457 `application/problem+json` documents with a stable `code`."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/", accounts_router)
api.add_router("/", artists_router)
api.add_router("/", press_kit_router)
api.add_router("/", riders_router)
api.add_router("/", venues_router)
api.add_router("/", media_router)
api.add_router("/", places_router)
api.add_router("/", scheduling_router)
api.add_router("/", bookings_router)
api.add_router("/", agency_router)
api.add_router("/", act_verification_router)
api.add_router("/", venue_verification_router)
api.add_router("/", vouch_router)
api.add_router("/", search_router)
api.add_router("/", directory_router)
api.add_router("/", notifications_router)
api.add_router("/", conversations_router)
api.add_router("/", contacts_router)
api.add_router("/", outreach_router)
api.add_router("/", mail_router)
api.add_router("/", profiles_router)
api.add_router("/", public_venues_router)
api.add_router("/", network_router)
api.add_router("/", network_manage_router)
