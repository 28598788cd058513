"""The domain of Abiportaal: places, the service catalogue, providers, offers, prices and contacts."""

from .catalogue import (
    Component,
    Domain,
    Journey,
    JourneyStep,
    Role,
    Service,
    Stage,
    TargetGroup,
    Tier,
    Unit,
    WorkForm,
)
from .contacts import ContactPerson
from .offers import (
    ClosedPriceError,
    Offer,
    Price,
    PriceError,
    PriceStatus,
    Provider,
    PublicationStatus,
    PublishedPriceError,
)
from .places import County, Municipality, Settlement, SettlementKind

__all__ = [
    "ClosedPriceError",
    "Component",
    "ContactPerson",
    "County",
    "Domain",
    "Journey",
    "JourneyStep",
    "Municipality",
    "Offer",
    "Price",
    "PriceError",
    "PriceStatus",
    "Provider",
    "PublicationStatus",
    "PublishedPriceError",
    "Role",
    "Service",
    "Settlement",
    "SettlementKind",
    "Stage",
    "TargetGroup",
    "Tier",
    "Unit",
    "WorkForm",
]
