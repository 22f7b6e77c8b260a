"""Routes of the vendor's operators on products (``/api/operator/products``)."""
from portalkit.web import Blueprint, db_session, operator_only

from . import products
from .product_schemas import ProductEdit, ProductIn, ProductPage, ProductQuery, ProductSchema

blp = Blueprint("operator-products", __name__, url_prefix="/operator",
                description="Operators' records of the vendor's products")


@blp.route("/products", methods=["GET"])
@operator_only
@blp.arguments(ProductQuery, location="query")
@blp.response(200, ProductPage)
def list_products(query):
    """List products by code (retired ones with ``retired=true``)."""
    items, total = products.list_products(db_session(), query)
    return {"items": items, "total": total}


@blp.route("/products", methods=["POST"])
@blp.refuses(400, 409)
@operator_only
@blp.arguments(ProductIn)
@blp.response(201, ProductSchema)
def record(data):
    """Record a product; 409 ``product_exists`` when its code is taken."""
    return products.record(db_session(), data)


@blp.route("/products/<product_id>", methods=["GET"])
@blp.refuses(404)
@operator_only
@blp.response(200, ProductSchema)
def show(product_id):
    """Read one product."""
    return products.find(db_session(), product_id)


@blp.route("/products/<product_id>", methods=["PATCH"])
@blp.refuses(400, 404, 409)
@operator_only
@blp.arguments(ProductEdit)
@blp.response(200, ProductSchema)
def edit(data, product_id):
    """Change a product's names, kind, brand, domain, serializability or major version."""
    return products.edit(db_session(), product_id, data)


@blp.route("/products/<product_id>/retire", methods=["POST"])
@blp.refuses(404, 409)
@operator_only
@blp.response(200, ProductSchema)
def retire(product_id):
    """Retire a product: it takes no new holding; those recorded stay."""
    return products.retire(db_session(), product_id)
